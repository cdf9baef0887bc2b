"""A post's overall status, derived from its targets' states (never set by a client)."""

from __future__ import annotations

from django.db import transaction

from flowline.posts.models import Post, PostTarget

T = PostTarget.Status
P = Post.Status
_IN_FLIGHT = {T.PUBLISHING, T.RETRYING, T.UNKNOWN}


def derive_status(post: Post, target_statuses: list[str]) -> str:
    """draft / pending_approval / approved before scheduling; then scheduled, publishing,
    published, partially_published, failed or missed from the targets.

    A post some of whose targets went out while others are still on their way is
    `publishing`; once nothing is on its way, some published and some not is
    `partially_published`.
    """
    states = set(target_statuses)
    if not states or states == {T.DRAFT}:
        if post.approval == Post.Approval.PENDING:
            return P.PENDING_APPROVAL
        if post.approval == Post.Approval.APPROVED and post.requires_approval:
            return P.APPROVED
        return P.DRAFT
    if states & _IN_FLIGHT:
        return P.PUBLISHING
    if T.SCHEDULED in states:
        # some targets already settled (a retry of the failed ones is queued)
        return P.PUBLISHING if states - {T.SCHEDULED, T.DRAFT} else P.SCHEDULED
    if states == {T.PUBLISHED}:
        return P.PUBLISHED
    if T.PUBLISHED in states:
        return P.PARTIALLY_PUBLISHED
    if T.FAILED in states:
        return P.FAILED
    if T.MISSED in states:
        return P.MISSED
    return P.DRAFT


def post_sync_status(*, post_id: int) -> str:
    """Recompute and store the post's status. The post row is locked first, so two
    workers finishing two targets of one post at once leave the right answer."""
    with transaction.atomic():
        post = Post.unscoped.select_for_update().get(id=post_id)
        statuses = list(
            PostTarget.unscoped.filter(post_id=post_id).values_list("status", flat=True)
        )
        status = derive_status(post, statuses)
        if status != post.status:
            Post.unscoped.filter(id=post_id).update(status=status)
    return status


def post_resynced(post: Post) -> Post:
    """`post` after a change to it or its targets: its status brought in line with its
    targets, and read back as stored."""
    post_sync_status(post_id=post.id)
    post.refresh_from_db()
    return post
