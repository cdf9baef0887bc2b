"""Sending failed (or missed) targets again, one post at a time or in bulk — for
instance every failed target of one social account once it has been reconnected.

Only `failed` and `missed` targets are touched (a conditional update), so a retry never
sends again what was published, and never disturbs what is on its way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from flowline.core.errors import ApplicationError
from flowline.posts import events
from flowline.posts.conf import setting
from flowline.posts.models import Post, PostTarget
from flowline.posts.selectors import RETRYABLE
from flowline.posts.services.status import post_sync_status

T = PostTarget.Status


def post_targets_to_retry(*, post: Post, target_ids: list[int] | None) -> list[PostTarget]:
    """The targets of `post` to send again: those asked for (a 400 names any that is not
    the post's), else its failed and missed ones."""
    targets = PostTarget.objects.filter(post=post).select_related("social_account")
    if not target_ids:
        return list(targets.filter(status__in=RETRYABLE))
    targets = targets.filter(id__in=target_ids)
    missing = sorted(set(target_ids) - {t.id for t in targets})
    if missing:
        raise ApplicationError(
            "Unknown targets.", errors={"target_ids": [f"Not targets of this post: {missing}"]}
        )
    return list(targets)


@dataclass
class RetryResult:
    retried: list[int] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)


@transaction.atomic
def targets_retry(*, targets) -> RetryResult:
    """Queue the given targets for publishing now (a fresh round of attempts).

    Targets that are not failed or missed are skipped, and so are those whose social
    account still needs reconnecting, each with the reason.
    """
    result = RetryResult()
    now = timezone.now()
    queued_posts: dict[int, int] = {}
    for target in targets:
        if target.status not in RETRYABLE:
            result.skipped.append({"id": target.id, "reason": f"Target is {target.status}."})
            continue
        if target.social_account.status != target.social_account.Status.ACTIVE:
            result.skipped.append(
                {"id": target.id, "reason": "Reconnect the social account first."}
            )
            continue
        moved = PostTarget.unscoped.filter(id=target.id, status__in=RETRYABLE).update(
            status=T.SCHEDULED,
            due_at=now,
            next_attempt_at=now,
            attempts=0,
            max_attempts=setting("FLOWLINE_POSTS_MAX_ATTEMPTS"),
            sent_at=None,
            claim_token=None,
            error="",
            error_code="",
            updated_at=now,
        )
        if moved:
            result.retried.append(target.id)
            queued_posts[target.post_id] = target.account_id
        else:
            result.skipped.append({"id": target.id, "reason": "Changed meanwhile."})
    for post_id, account_id in queued_posts.items():
        post_sync_status(post_id=post_id)
        events.post_changed(post_id, account_id)
    return result
