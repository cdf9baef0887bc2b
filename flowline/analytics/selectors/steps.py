"""Which of a set of event types each session did on each day, counted per set.

A session's "steps" are a bit mask over `types` (bit i for `types[i]`). The database
computes one mask per session, day and site (and platform, or over all platforms), then
counts the sessions of each distinct mask: a few dozen rows per day, however many
events. The funnel is read from these counts; the rollup stores them for past days.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import add

from django.db import connections
from django.db.models import Case, Max, QuerySet, Value, When

from flowline.analytics.functions import UTCDay
from flowline.analytics.models import ALL


@dataclass(frozen=True)
class StepCount:
    date: date
    site_id: int | None
    platform: str
    steps: int
    sessions: int


def step_counts(
    events: QuerySet, types: Sequence[str], *, per_platform: bool
) -> Iterator[StepCount]:
    """Sessions per (day, site, platform, mask) of `events`; platform is `ALL` unless
    `per_platform`. Events without a session or of other types do not count."""
    bit = {event_type: 1 << index for index, event_type in enumerate(types)}
    mask = reduce(
        add,
        (
            Max(Case(When(event_type=event_type, then=Value(value)), default=Value(0)))
            for event_type, value in bit.items()
        ),
    )
    dimensions = ("day", "site_id", *(("platform",) if per_platform else ()))
    per_session = (
        events.filter(event_type__in=list(types))
        .exclude(session_id="")
        .annotate(day=UTCDay("occurred_at"))
        .values(*dimensions, "session_id")
        .annotate(mask=mask)
        .values(*dimensions, "mask")
        .order_by()
    )
    inner, params = per_session.query.sql_with_params()
    columns = ", ".join(dimensions)
    # Counting sessions per mask groups by an aggregate, which the ORM cannot express:
    # the per-session query is wrapped as it is (its parameters stay bound).
    # Only fixed column names are formatted in.
    sql = (
        f"SELECT {columns}, mask, COUNT(*) FROM ({inner}) AS per_session "  # noqa: S608
        f"GROUP BY {columns}, mask"
    )
    with connections[events.db].cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            day = row[0] if isinstance(row[0], date) else date.fromisoformat(row[0])
            platform = row[2] if per_platform else ALL
            yield StepCount(day, row[1], platform, row[-2], row[-1])
