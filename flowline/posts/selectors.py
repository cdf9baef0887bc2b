"""Reads of posts: what list and detail pages load in one go, and the calendar."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet

from flowline.posts.models import Post, PostTarget, PostVariant

# Targets a retry may send again: never what was published or is on its way.
RETRYABLE = (PostTarget.Status.FAILED, PostTarget.Status.MISSED)


def posts_with_details(queryset: QuerySet) -> QuerySet:
    """Variants and targets in two queries, whatever the number of posts."""
    return queryset.prefetch_related(
        Prefetch("variants", queryset=PostVariant.objects.order_by("platform")),
        Prefetch("targets", queryset=PostTarget.objects.order_by("platform", "id")),
    )


def post_for_detail(*, post_id: int) -> Post:
    """One post of the active account with its variants and targets."""
    return posts_with_details(Post.objects.filter(id=post_id)).get()


def calendar(*, start: datetime, end: datetime, tz: str = "UTC") -> list[dict]:
    """The active account's posts scheduled in [start, end), grouped by day in `tz`:
    [{"date", "posts"}]."""
    zone = ZoneInfo(tz)
    posts = posts_with_details(
        Post.objects.filter(scheduled_at__gte=start, scheduled_at__lt=end).order_by(
            "scheduled_at", "id"
        )
    )
    days: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        days[post.scheduled_at.astimezone(zone).date().isoformat()].append(post)
    return [{"date": day, "posts": items} for day, items in days.items()]


def targets_retryable(*, post_ids=None, platform=None, social_account_id=None) -> QuerySet:
    """The active account's failed or missed targets that match, oldest first."""
    queryset = PostTarget.objects.filter(status__in=RETRYABLE).select_related("social_account")
    if post_ids:
        queryset = queryset.filter(post_id__in=post_ids)
    if platform:
        queryset = queryset.filter(platform=platform)
    if social_account_id:
        queryset = queryset.filter(social_account_id=social_account_id)
    return queryset.order_by("id")
