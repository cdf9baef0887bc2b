"""Reads of posts: what list and detail pages load in one go, and the calendar."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet

from flowline.posts.models import Post, PostTarget, PostVariant


def posts_with_details(queryset: QuerySet) -> QuerySet:
    """Variants and targets in two queries, whatever the number of posts."""
    return queryset.prefetch_related(
        Prefetch("variants", queryset=PostVariant.objects.order_by("platform")),
        Prefetch("targets", queryset=PostTarget.objects.order_by("platform", "id")),
    )


def calendar(queryset: QuerySet, *, start: datetime, end: datetime, tz: str = "UTC") -> list[dict]:
    """Posts scheduled in [start, end), grouped by day in `tz`: [{"date", "posts"}]."""
    zone = ZoneInfo(tz)
    posts = posts_with_details(
        queryset.filter(scheduled_at__gte=start, scheduled_at__lt=end).order_by(
            "scheduled_at", "id"
        )
    )
    days: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        days[post.scheduled_at.astimezone(zone).date().isoformat()].append(post)
    return [{"date": day, "posts": items} for day, items in days.items()]
