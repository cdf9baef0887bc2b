"""Sums of events over a date range, read from rollups where they are complete and from
the events themselves where they are not (today, and days the rollup is behind on).

Both halves are aggregated by the database; Python only adds up the grouped rows.
Must run in a tenant scope: every query goes through the scoped managers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from flowline.analytics.functions import UTCDay, UTCMonth, UTCWeek
from flowline.analytics.models import ALL, AnalyticsEvent, DailyMetric, RollupState
from flowline.analytics.services.rollup import day_start

# How events (stored times) and rollups (dates) are bucketed.
BUCKETS = {"day": UTCDay, "week": UTCWeek, "month": UTCMonth}
ROLLUP_BUCKETS = {"day": F, "week": TruncWeek, "month": TruncMonth}


@dataclass(frozen=True)
class MetricQuery:
    """A date range (inclusive, UTC days) and the dimensions it is narrowed to."""

    date_from: date
    date_to: date
    site_id: int | None = None
    platform: str | None = None
    event_types: tuple[str, ...] | None = None


@dataclass
class Totals:
    count: int = 0
    value: Decimal = Decimal("0.00")
    sessions: int = 0


def live_from(query: MetricQuery) -> date:
    """The first day read from events rather than rollups (one query)."""
    today = timezone.now().date()
    state = RollupState.objects.only("dirty_from").first()
    if state is None:  # never rolled up: everything is live
        return query.date_from
    first = today if state.dirty_from is None else min(today, state.dirty_from)
    return max(first, query.date_from)


def event_totals(
    query: MetricQuery, *, by: tuple[str, ...] = (), bucket: str = "day", start: date
) -> dict[tuple, Totals]:
    """Counts and values keyed by (bucket, *by): `by` names platform and/or event_type.

    `start` is `live_from(query)`: days before it come from rollups.
    """
    trunc = BUCKETS[bucket]
    totals: dict[tuple, Totals] = defaultdict(Totals)
    if start > query.date_from:
        rolled = _rollups(query, end=start - timedelta(days=1)).exclude(
            Q(platform=ALL) | Q(event_type=ALL)
        )
        rolled = rolled.annotate(period=ROLLUP_BUCKETS[bucket]("date")).values("period", *by)
        for row in rolled.annotate(n=Sum("count"), total=Sum("value_sum")).order_by():
            _add(totals, row, by, row["n"], row["total"])
    if start <= query.date_to:
        events = _events(query, start=start).annotate(period=trunc("occurred_at"))
        live = events.values("period", *by).annotate(n=Count("id"), total=Sum("value"))
        for row in live.order_by():
            _add(totals, row, by, row["n"], row["total"])
    return totals


def session_totals(query: MetricQuery, *, by_platform: bool = False, start: date) -> dict:
    """Distinct sessions of each day, keyed by (day,) or (day, platform).

    Sessions are distinct within a day; over a range they add up as session-days.
    """
    totals: dict[tuple, int] = defaultdict(int)
    by = ("platform",) if by_platform else ()
    if start > query.date_from:
        rolled = _rollups(query, end=start - timedelta(days=1), sessions=True)
        rolled = rolled.filter(event_type=ALL)
        # One platform's sessions are on its own rows; all platforms' on the ALL row.
        per_platform = by_platform or query.platform is not None
        rolled = rolled.exclude(platform=ALL) if per_platform else rolled.filter(platform=ALL)
        for row in rolled.values("date", *by).annotate(n=Sum("unique_sessions")).order_by():
            totals[(row["date"], *(row[name] for name in by))] += row["n"]
    if start <= query.date_to:
        events = _events(query, start=start, sessions=True).annotate(day=UTCDay("occurred_at"))
        distinct = Count("session_id", distinct=True, filter=~Q(session_id=""))
        for row in events.values("day", *by).annotate(n=distinct).order_by():
            totals[(row["day"], *(row[name] for name in by))] += row["n"]
    return totals


def days_of(query: MetricQuery) -> list[date]:
    span = (query.date_to - query.date_from).days
    return [query.date_from + timedelta(days=offset) for offset in range(span + 1)]


def _add(totals: dict, row: dict, by: tuple[str, ...], count: int, value) -> None:
    entry = totals[(row["period"], *(row[name] for name in by))]
    entry.count += count
    entry.value += value or 0


def _rollups(query: MetricQuery, *, end: date, sessions: bool = False) -> QuerySet:
    rows = DailyMetric.objects.filter(date__gte=query.date_from, date__lte=end)
    if query.site_id is not None:
        rows = rows.filter(site_id=query.site_id)
    if query.platform is not None:
        rows = rows.filter(platform=query.platform)
    if query.event_types is not None and not sessions:
        rows = rows.filter(event_type__in=query.event_types)
    return rows


def _events(query: MetricQuery, *, start: date, sessions: bool = False) -> QuerySet:
    events = AnalyticsEvent.objects.filter(
        occurred_at__gte=day_start(start),
        occurred_at__lt=day_start(query.date_to + timedelta(days=1)),
    )
    if query.site_id is not None:
        events = events.filter(site_id=query.site_id)
    if query.platform is not None:
        events = events.filter(platform=query.platform)
    if query.event_types is not None and not sessions:
        events = events.filter(event_type__in=query.event_types)
    return events
