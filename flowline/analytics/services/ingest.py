"""Storing tracked events: validated in bulk, deduplicated by the client's id, inserted in
one transaction, and the account's rollup marked as behind for their days."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

import orjson
from django.db import connection, transaction
from django.utils import timezone

from flowline.analytics.models import AnalyticsEvent
from flowline.analytics.services.rollup import rollup_mark_dirty
from flowline.analytics.validation import TRACKED_FIELDS, Invalid, check_event
from flowline.core import tenancy
from flowline.core.ids import MAX_ID
from flowline.sites.public import site_ids_in_scope

MAX_BATCH = 1000
COLUMNS = ("account", *TRACKED_FIELDS, "received_at")


@dataclass(frozen=True)
class IngestResult:
    """What happened to a batch: how many were stored, how many were repeats of events
    already stored (same `event_id`), and each refused event's index and reasons."""

    accepted: int
    duplicates: int
    rejected: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}


def events_ingest(*, account_id: int, events: list[Any]) -> IngestResult:
    """Store the valid events of a batch and report the others by index.

    Valid events are stored even when others are refused: the caller learns exactly which
    ones to fix and resend (with their `event_id`, a resend never duplicates). The valid
    ones are stored all together or not at all (one transaction). Must run in the
    account's tenant scope (the batch's sites are looked up through it).
    """
    now = timezone.now()
    site_ids = _allowed_sites(events)
    clean: list[dict] = []
    rejected: list[dict[str, Any]] = []
    for index, raw in enumerate(events):
        try:
            clean.append(check_event(raw, now=now, site_ids=site_ids))
        except Invalid as problem:
            rejected.append({"index": index, "errors": {problem.field: [problem.message]}})
    if not clean:
        return IngestResult(accepted=0, duplicates=0, rejected=rejected)
    with transaction.atomic():
        stored = insert_events(account_id=account_id, received_at=now, events=clean)
        if stored:
            earliest = min(values["occurred_at"] for values in clean)
            rollup_mark_dirty(account_id=account_id, day=earliest.astimezone(UTC).date())
    return IngestResult(accepted=stored, duplicates=len(clean) - stored, rejected=rejected)


def insert_events(*, account_id: int, received_at: datetime, events: list[dict]) -> int:
    """Insert checked events, skipping any whose `event_id` the account already has (or
    that came earlier in the batch); returns how many were stored.

    The unique index on (account, event_id) is the only dedup: `ON CONFLICT DO NOTHING`
    makes a concurrent retry of the same batch wait for the first and then skip its
    events, so each client id counts once however the batches race, and the count of
    inserted rows is exact. No lookup of the batch's ids beforehand (it cost a query of
    1,000 ids per batch and was still racy). PostgreSQL gets the rows by COPY into a
    session-local staging table (one round trip, no per-row statement);
    SQLite runs one prepared statement per row in process, already the fastest it has.
    """
    if connection.vendor == "postgresql":
        return _insert_by_copy(account_id, received_at, events)
    ops = connection.ops
    received = ops.adapt_datetimefield_value(received_at)
    params = [
        (
            account_id,
            None if e["event_id"] is None else e["event_id"].hex,
            e["event_type"],
            e["platform"],
            e["site_id"],
            e["session_id"],
            e["customer_id"],
            None if e["value"] is None else str(e["value"]),
            e["currency"],
            _json_text(e["properties"]),
            ops.adapt_datetimefield_value(e["occurred_at"]),
            received,
        )
        for e in events
    ]
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(), params)
        return cursor.rowcount


def _insert_by_copy(account_id: int, received_at: datetime, events: list[dict]) -> int:
    create, copy_sql, insert = _copy_sql()
    with connection.cursor() as cursor:
        # Kept by the session (pooled connections reuse it); emptied by the insert itself
        # and at every commit, so a nested call in a larger transaction starts empty too.
        cursor.execute(create)
        with cursor.copy(copy_sql) as copy:
            for e in events:
                copy.write_row(
                    (
                        account_id,
                        e["event_id"],
                        e["event_type"],
                        e["platform"],
                        e["site_id"],
                        e["session_id"],
                        e["customer_id"],
                        e["value"],
                        e["currency"],
                        _json_text(e["properties"]),
                        e["occurred_at"],
                        received_at,
                    )
                )
        cursor.execute(insert)
        return cursor.rowcount


def _json_text(properties: dict) -> str:
    try:
        return orjson.dumps(properties).decode()
    except TypeError:  # an integer beyond 64 bits: the standard library writes it
        return json.dumps(properties)


def _columns() -> str:
    quote = connection.ops.quote_name
    return ", ".join(quote(AnalyticsEvent._meta.get_field(name).column) for name in COLUMNS)


@cache
def _insert_sql() -> str:
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    table = connection.ops.quote_name(AnalyticsEvent._meta.db_table)
    # Every name comes from the model's _meta; values go through placeholders.
    return f"INSERT INTO {table} ({_columns()}) VALUES ({placeholders}) ON CONFLICT DO NOTHING"  # noqa: S608


@cache
def _copy_sql() -> tuple[str, str, str]:
    table = connection.ops.quote_name(AnalyticsEvent._meta.db_table)
    columns = _columns()
    staging = "analytics_event_batch"
    # Names come from the model's _meta and constants; the rows travel by COPY.
    create = (
        f"CREATE TEMP TABLE IF NOT EXISTS {staging} ON COMMIT DELETE ROWS AS "  # noqa: S608
        f"SELECT {columns} FROM {table} WITH NO DATA"
    )
    copy_sql = f"COPY {staging} ({columns}) FROM STDIN"
    insert = (
        f"WITH batch AS (DELETE FROM {staging} RETURNING {columns}) "  # noqa: S608
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM batch ON CONFLICT DO NOTHING"
    )
    return create, copy_sql, insert


def _allowed_sites(events: list[Any]) -> frozenset[int]:
    """Ids of the sites named in the batch that the caller may see (one query, and none
    when no event names a site)."""
    named = {
        raw["site"]
        for raw in events
        if isinstance(raw, dict) and type(raw.get("site")) is int and 0 < raw["site"] <= MAX_ID
    }
    if not named:
        return frozenset()
    tenancy.require()
    return site_ids_in_scope(named)
