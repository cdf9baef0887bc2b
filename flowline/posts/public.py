"""What other apps may call: posts as ids and small dataclasses (campaigns attach posts
and add up their metrics).

    from flowline.posts import public as posts
    posts.existing_post_ids(account_id=..., post_ids=[...])
    posts.posts_for_campaign(account_id=..., post_ids=[...])   # [PostSummary]
    posts.metrics_totals(account_id=..., post_ids=[...])       # {"reach": .., "engagement": ..}
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flowline.posts.models import Post, PostTarget

__all__ = [
    "PostSummary",
    "TargetSummary",
    "existing_post_ids",
    "metrics_totals",
    "posts_for_campaign",
]


@dataclass(frozen=True)
class TargetSummary:
    id: int
    platform: str
    social_account_id: int
    status: str
    url: str
    published_at: datetime | None
    metrics: dict


@dataclass(frozen=True)
class PostSummary:
    id: int
    title: str
    text: str
    status: str
    scheduled_at: datetime | None
    targets: tuple[TargetSummary, ...]


def existing_post_ids(*, account_id: int, post_ids: list[int]) -> set[int]:
    """Which of these ids are posts of that account (to refuse foreign ids with a 400)."""
    return set(
        Post.unscoped.filter(account_id=account_id, id__in=post_ids).values_list("id", flat=True)
    )


def posts_for_campaign(*, account_id: int, post_ids: list[int]) -> list[PostSummary]:
    """The posts with their targets' states, URLs and metrics, in `post_ids` order."""
    posts = {
        p.id: p
        for p in Post.unscoped.filter(account_id=account_id, id__in=post_ids).prefetch_related(
            "targets"
        )
    }
    return [
        PostSummary(
            id=post.id,
            title=post.title,
            text=post.text,
            status=post.status,
            scheduled_at=post.scheduled_at,
            targets=tuple(
                TargetSummary(
                    id=t.id,
                    platform=t.platform,
                    social_account_id=t.social_account_id,
                    status=t.status,
                    url=t.url,
                    published_at=t.published_at,
                    metrics=dict(t.metrics or {}),
                )
                for t in post.targets.all()
            ),
        )
        for post_id in post_ids
        if (post := posts.get(post_id)) is not None
    ]


def metrics_totals(*, account_id: int, post_ids: list[int]) -> dict[str, int | float]:
    """Each numeric metric summed over the published targets of these posts (plus
    `published_targets`, how many there are)."""
    totals: defaultdict[str, int | float] = defaultdict(int)
    rows = PostTarget.unscoped.filter(
        account_id=account_id, post_id__in=post_ids, status=PostTarget.Status.PUBLISHED
    ).values_list("metrics", flat=True)
    count = 0
    for metrics in rows:
        count += 1
        for name, value in (metrics or {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                totals[name] += value
    return {**dict(totals), "published_targets": count}
