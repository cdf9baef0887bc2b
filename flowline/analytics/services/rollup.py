"""Daily rollups: events summed per day, site, platform and type into `DailyMetric`, and
sessions counted per set of key event types into `DailySessionSteps` (the funnel's).

Ingestion marks an account's rollup as behind from the earliest day it touched
(`rollup_mark_dirty`); the periodic job recomputes those days (`daily_metrics_rollup`).
Recomputing a day replaces its rows, so running twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Min, Q, Sum, Value, When
from django.utils import timezone

from flowline.analytics.functions import UTCDay
from flowline.analytics.models import (
    ALL,
    KEY_EVENT_TYPES,
    AnalyticsEvent,
    DailyMetric,
    DailySessionSteps,
    RollupState,
)
from flowline.analytics.selectors.steps import step_counts

# Days recomputed per transaction: bounded so that a first rollup of a long history does
# not hold SQLite's write lock (and stall ingestion) for its whole length.
CHUNK_DAYS = 31


@dataclass(frozen=True)
class RollupReport:
    """What one rollup of an account did."""

    account_id: int
    days: int
    rows: int
    clean: bool


def rollup_mark_dirty(*, account_id: int, day: date) -> None:
    """Note that events of `day` (or later) arrived. Called in the ingesting transaction,
    last, so the row lock it takes on PostgreSQL is held only until the commit."""
    updated = RollupState.unscoped.filter(account_id=account_id).update(
        dirty_from=Case(
            When(Q(dirty_from__isnull=True) | Q(dirty_from__gt=day), then=Value(day)),
            default=F("dirty_from"),
        ),
        version=F("version") + 1,
    )
    if updated:
        return
    # The account's first ingestion: events written some other way before it (imports,
    # fixtures) are behind too.
    earliest = AnalyticsEvent.unscoped.filter(account_id=account_id).aggregate(
        first=Min("occurred_at")
    )["first"]
    start = min(day, earliest.astimezone(UTC).date()) if earliest else day
    try:
        with transaction.atomic():
            RollupState.unscoped.create(account_id=account_id, dirty_from=start, version=1)
    except IntegrityError:  # another request created it first
        rollup_mark_dirty(account_id=account_id, day=day)


def daily_metrics_rollup(*, account_id: int) -> RollupReport:
    """Recompute the days the account's rollup is behind on, then mark it clean unless
    events arrived meanwhile (they leave it behind for the next run)."""
    state = RollupState.unscoped.filter(account_id=account_id).first()
    if state is None:
        rollup_mark_dirty(account_id=account_id, day=timezone.now().date())
        state = RollupState.unscoped.get(account_id=account_id)
    if state.dirty_from is None:
        return RollupReport(account_id=account_id, days=0, rows=0, clean=True)
    started = timezone.now()
    # Clients may report events up to a day ahead of our clock.
    last_day = started.date() + timedelta(days=1)
    rows = daily_metrics_recompute(
        account_id=account_id, date_from=state.dirty_from, date_to=last_day
    )
    clean = rollup_mark_clean(account_id=account_id, version=state.version, rolled_at=started)
    days = (last_day - state.dirty_from).days + 1
    return RollupReport(account_id=account_id, days=days, rows=rows, clean=clean)


def rollup_mark_clean(*, account_id: int, version: int, rolled_at) -> bool:
    """Mark the account's rollups complete if no ingestion happened since the state was
    read at `version`; otherwise it stays behind for the next run. True when marked."""
    return bool(
        RollupState.unscoped.filter(account_id=account_id, version=version).update(
            dirty_from=None, rolled_at=rolled_at
        )
    )


def daily_metrics_recompute(*, account_id: int, date_from: date, date_to: date) -> int:
    """Replace the account's rollup rows of `date_from`..`date_to` (inclusive) by sums
    of its events; returns the number of rows written."""
    written = 0
    start = date_from
    while start <= date_to:
        end = min(date_to, start + timedelta(days=CHUNK_DAYS - 1))
        # Aggregated outside the write transaction: the reads need no lock.
        rows = _aggregate(account_id, start, end)
        steps = _session_steps(account_id, start, end)
        with transaction.atomic():
            for model in (DailyMetric, DailySessionSteps):
                model.unscoped.filter(
                    account_id=account_id, date__gte=start, date__lte=end
                ).delete()
            DailyMetric.unscoped.bulk_create(rows, batch_size=500)
            DailySessionSteps.unscoped.bulk_create(steps, batch_size=500)
        written += len(rows) + len(steps)
        start = end + timedelta(days=1)
    return written


def rollup_pending() -> list[RollupReport]:
    """Roll up every account that is behind (what the periodic job runs)."""
    accounts = RollupState.unscoped.filter(dirty_from__isnull=False).values_list(
        "account_id", flat=True
    )
    return [daily_metrics_rollup(account_id=account_id) for account_id in list(accounts)]


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _events_of(account_id: int, start: date, end: date):
    return AnalyticsEvent.unscoped.filter(
        account_id=account_id,
        occurred_at__gte=day_start(start),
        occurred_at__lt=day_start(end + timedelta(days=1)),
    )


def _session_steps(account_id: int, start: date, end: date) -> list[DailySessionSteps]:
    events = _events_of(account_id, start, end)
    return [
        DailySessionSteps(
            account_id=account_id,
            date=count.date,
            site_id=count.site_id,
            platform=count.platform,
            steps=count.steps,
            sessions=count.sessions,
        )
        for per_platform in (True, False)
        for count in step_counts(events, KEY_EVENT_TYPES, per_platform=per_platform)
    ]


def _aggregate(account_id: int, start: date, end: date) -> list[DailyMetric]:
    events = _events_of(account_id, start, end).annotate(day=UTCDay("occurred_at"))
    sums = {
        "n": Count("id"),
        "total": Sum("value"),
        "sessions": Count("session_id", distinct=True, filter=~Q(session_id="")),
    }
    groupings = (
        (("site_id", "platform", "event_type"), {}),
        (("site_id", "platform"), {"event_type": ALL}),
        (("site_id",), {"platform": ALL, "event_type": ALL}),
    )
    rows = []
    for fields, fixed in groupings:
        for group in events.values("day", *fields).annotate(**sums).order_by():
            rows.append(
                DailyMetric(
                    account_id=account_id,
                    date=group["day"],
                    site_id=group["site_id"],
                    platform=fixed.get("platform", group.get("platform")),
                    event_type=fixed.get("event_type", group.get("event_type")),
                    count=group["n"],
                    value_sum=group["total"] or 0,
                    unique_sessions=group["sessions"],
                )
            )
    return rows
