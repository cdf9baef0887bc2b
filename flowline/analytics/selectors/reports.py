"""The dashboard, per-platform and revenue reports (001 Analytics)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.db.models import Sum

from flowline.analytics.models import (
    ENGAGEMENT_EVENT_TYPES,
    KEY_EVENT_TYPES,
    MESSAGE_RECEIVED,
    POST_PUBLISHED,
    PURCHASE,
    Platform,
    PlatformMetric,
)
from flowline.analytics.selectors.metrics import (
    MetricQuery,
    days_of,
    event_totals,
    live_from,
    session_totals,
)

# The platforms every per-platform report lists, with or without data (001).
SOCIAL_PLATFORMS = (Platform.FACEBOOK, Platform.INSTAGRAM, Platform.TWITTER, Platform.WHATSAPP)


def dashboard(query: MetricQuery) -> dict:
    """Per day: events by type (the key types always present), revenue from purchases,
    distinct sessions; and the range's totals. Four queries at most, whatever the volume."""
    start = live_from(query)
    by_type = event_totals(query, by=("event_type",), start=start)
    sessions = session_totals(query, start=start)
    days = {
        day: {
            "date": day,
            "events": 0,
            "revenue": Decimal("0.00"),
            "sessions": sessions.get((day,), 0),
            "counts": dict.fromkeys(KEY_EVENT_TYPES, 0),
        }
        for day in days_of(query)
    }
    for (day, event_type), totals in by_type.items():
        entry = days.get(day)
        if entry is None:
            continue
        entry["events"] += totals.count
        entry["counts"][event_type] = entry["counts"].get(event_type, 0) + totals.count
        if event_type == PURCHASE:
            entry["revenue"] += totals.value
    rows = list(days.values())
    counts: dict[str, int] = dict.fromkeys(KEY_EVENT_TYPES, 0)
    for row in rows:
        for event_type, count in row["counts"].items():
            counts[event_type] = counts.get(event_type, 0) + count
    return {
        "date_from": query.date_from,
        "date_to": query.date_to,
        "live_from": start,
        "totals": {
            "events": sum(row["events"] for row in rows),
            "revenue": sum((row["revenue"] for row in rows), Decimal("0.00")),
            "sessions": sum(row["sessions"] for row in rows),
            "counts": counts,
        },
        "days": rows,
    }


def platform_report(query: MetricQuery) -> list[dict]:
    """Per platform over the range: events, engagement, posts, messages, orders, revenue,
    session-days, and what the platform reported (latest followers, summed reach)."""
    start = live_from(query)
    by_type = event_totals(query, by=("platform", "event_type"), start=start)
    sessions = session_totals(query, by_platform=True, start=start)
    rows: dict[str, dict] = {platform.value: _platform_row(platform) for platform in Platform}
    for (_day, platform, event_type), totals in by_type.items():
        row = rows.setdefault(platform, _platform_row(platform))
        row["events"] += totals.count
        if event_type in ENGAGEMENT_EVENT_TYPES:
            row["engagement"] += totals.count
        if event_type == POST_PUBLISHED:
            row["posts_published"] += totals.count
        if event_type == MESSAGE_RECEIVED:
            row["messages_received"] += totals.count
        if event_type == PURCHASE:
            row["orders"] += totals.count
            row["revenue"] += totals.value
    for (_day, platform), count in sessions.items():
        rows.setdefault(platform, _platform_row(platform))["sessions"] += count
    _add_reported(rows, query)
    return [
        row
        for name, row in rows.items()
        if name in SOCIAL_PLATFORMS or row["events"] or row["reported"]["followers"]
    ]


def revenue_report(query: MetricQuery, *, interval: str) -> dict:
    """Revenue and orders per day, ISO week (starting Monday) or month."""
    purchases = replace(query, event_types=(PURCHASE,))
    start = live_from(purchases)
    totals = event_totals(purchases, bucket=interval, start=start)
    buckets = [
        {"period": period, "orders": entry.count, "revenue": entry.value}
        for (period,), entry in sorted(totals.items())
    ]
    return {
        "date_from": query.date_from,
        "date_to": query.date_to,
        "interval": interval,
        "orders": sum(bucket["orders"] for bucket in buckets),
        "revenue": sum((bucket["revenue"] for bucket in buckets), Decimal("0.00")),
        "buckets": buckets,
    }


def _platform_row(platform: str) -> dict:
    return {
        "platform": platform,
        "events": 0,
        "engagement": 0,
        "posts_published": 0,
        "messages_received": 0,
        "orders": 0,
        "revenue": Decimal("0.00"),
        "sessions": 0,
        "reported": {"followers": 0, "reach": 0, "impressions": 0, "engagement": 0},
    }


def _add_reported(rows: dict[str, dict], query: MetricQuery) -> None:
    """Platform-reported figures: reach, impressions and engagement summed over the range;
    followers as of the latest day reported (summed over sites). One query."""
    reported = PlatformMetric.objects.filter(date__gte=query.date_from, date__lte=query.date_to)
    if query.site_id is not None:
        reported = reported.filter(site_id=query.site_id)
    if query.platform is not None:
        reported = reported.filter(platform=query.platform)
    per_day = reported.values("platform", "date").annotate(
        followers=Sum("followers"),
        reach=Sum("reach"),
        impressions=Sum("impressions"),
        engagement=Sum("engagement"),
    )
    for day in per_day.order_by("platform", "date"):
        target = rows.setdefault(day["platform"], _platform_row(day["platform"]))["reported"]
        target["followers"] = day["followers"]  # ordered by date: the last one stays
        for name in ("reach", "impressions", "engagement"):
            target[name] += day[name]
