"""What a target's outcome tells the outside: webhooks (`post.published`, `post.failed`),
the author's notifications, and live `post_update` events for the account's screens.

Webhook and notification rows are written in the caller's transaction (they leave once
it commits); the live event is sent after the commit.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from django.db import transaction

from flowline.analytics.public import track_events
from flowline.notifications.public import notify
from flowline.posts.models import Post, PostTarget
from flowline.realtime.public import publish
from flowline.webhooks.public import emit

logger = logging.getLogger("flowline.posts")
ANALYTICS_PLATFORMS = {"facebook", "instagram", "twitter", "whatsapp"}


def _preview(post: Post, target: PostTarget) -> str:
    from flowline.posts.services.content import variant_for

    return variant_for(post, target.platform)["text"][:200]


def _notify_author(post: Post, notification_type: str, context: dict) -> None:
    notify(
        account_id=post.account_id,
        user_ids=[post.author_id] if post.author_id else None,
        notification_type=notification_type,
        context=context,
        link=f"/social/posts/{post.id}",
    )


def _payload(target: PostTarget) -> dict:
    return {
        "post_id": target.post_id,
        "target_id": target.id,
        "platform": target.platform,
        "social_account_id": target.social_account_id,
    }


def target_published(target: PostTarget, published, at: datetime) -> None:
    _track(target, at, url=published.url or "")
    emit(
        account_id=target.account_id,
        event_type="post.published",
        payload={
            **_payload(target),
            "external_id": published.external_id,
            "url": published.url or "",
            "published_at": at.isoformat(),
        },
    )


def _track(target: PostTarget, at: datetime, *, url: str) -> None:
    """A `post_published` analytics event (its event_id makes a repeat harmless). Best
    effort: analytics refusing it must not undo the publication's record."""
    event = {
        "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"flowline:post-target:{target.id}")),
        "event_type": "post_published",
        # analytics knows these platforms; others (LinkedIn) count as "other"
        "platform": target.platform if target.platform in ANALYTICS_PLATFORMS else "other",
        "occurred_at": at.isoformat(),
        "properties": {"post_id": target.post_id, "url": url},
    }
    try:
        with transaction.atomic():
            track_events(account_id=target.account_id, events=[event])
    except Exception:
        logger.warning("Analytics did not take the publication of %s", target.id, exc_info=True)


def target_failed(target: PostTarget) -> None:
    """A final failure or a miss: the author hears of it, subscribers get post.failed."""
    post = Post.unscoped.get(id=target.post_id)
    emit(
        account_id=target.account_id,
        event_type="post.failed",
        payload={
            **_payload(target),
            "status": target.status,
            "error": target.error,
            "error_code": target.error_code,
        },
    )
    missed = target.status == PostTarget.Status.MISSED
    _notify_author(
        post,
        "post_missed" if missed else "post_failed",
        {
            "platform": target.platform,
            "preview": _preview(post, target),
            "error": target.error,
            "post_id": post.id,
            "target_id": target.id,
        },
    )


def post_published(post_id: int) -> None:
    """Every target of the post went out."""
    post = Post.unscoped.get(id=post_id)
    targets = list(PostTarget.unscoped.filter(post_id=post_id))
    _notify_author(
        post,
        "post_published",
        {
            "platform": ", ".join(sorted({t.platform for t in targets})),
            "preview": (post.text or post.title)[:200],
            "url": next((t.url for t in targets if t.url), ""),
            "post_id": post.id,
        },
    )


def post_changed(post_id: int, account_id: int) -> None:
    """A live `post_update` in the account's room once the change is committed."""

    def send():
        row = Post.unscoped.filter(id=post_id).values("id", "status").first()
        if row is None:
            return
        targets = PostTarget.unscoped.filter(post_id=post_id).values(
            "id", "platform", "status", "url"
        )
        publish(
            "post_update",
            {"post_id": row["id"], "status": row["status"], "targets": list(targets)},
            rooms=[f"account_{account_id}"],
        )

    transaction.on_commit(send)
