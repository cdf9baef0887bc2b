"""Scheduling: put a post's targets on the schedule, move them, take them off, and find
the next free posting slot of its social accounts.

Only rows the scheduler has not claimed are touched, with conditional updates
(`status=scheduled`), so a reschedule or a cancel can never race a publication: a target
already claimed is `publishing` and stays out of reach.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from flowline.core.errors import ApplicationError, ConflictError
from flowline.posts.conf import setting
from flowline.posts.models import Post, PostingSlot, PostTarget
from flowline.posts.services.content import check_targets, check_variants, effective_variants
from flowline.posts.services.status import post_resynced

T = PostTarget.Status
# How far back "now" may be when scheduling (a client's clock, a slow request).
GRACE = timedelta(minutes=1)
# How far ahead the next free slot is looked for.
SLOT_HORIZON_DAYS = 28
# A slot is taken when one of the accounts already has a post due within this of it.
SLOT_WINDOW = timedelta(seconds=59)


def _when(post: Post, scheduled_at: datetime | None, next_free_slot: bool) -> datetime:
    now = timezone.now()
    if next_free_slot:
        slot = next_free_slot_for(
            social_account_ids=list(
                PostTarget.objects.filter(post=post).values_list("social_account_id", flat=True)
            ),
            after=max(now, scheduled_at or now),
            exclude_post_id=post.id,
        )
        if slot is None:
            raise ApplicationError(
                "None of the post's social accounts has a free posting slot in the next "
                f"{SLOT_HORIZON_DAYS} days.",
                code="no_free_slot",
                errors={"next_free_slot": ["No free slot; add slots or give scheduled_at."]},
            )
        return slot
    if scheduled_at is None:
        raise ApplicationError(
            "Give scheduled_at or next_free_slot.",
            errors={"scheduled_at": ["Required without next_free_slot."]},
        )
    if scheduled_at < now - GRACE:
        raise ApplicationError(
            "The time is in the past.", errors={"scheduled_at": ["Must be in the future."]}
        )
    return scheduled_at


def _ready(post: Post) -> None:
    """A post goes on the schedule only when it is complete, valid and (if it needs it)
    approved."""
    targets = list(PostTarget.objects.filter(post=post).select_related("social_account"))
    if not targets:
        raise ApplicationError(
            "The post has no social accounts to go to.", errors={"targets": ["Add a target."]}
        )
    if post.requires_approval and post.approval != Post.Approval.APPROVED:
        raise ConflictError("This post must be approved first.", code="approval_required")
    check_targets([t.social_account for t in targets if t.status == T.DRAFT])
    variants = effective_variants(post)  # one entry per targeted platform
    check_variants({}, variants, set(variants))


@transaction.atomic
def post_schedule(
    *, post: Post, scheduled_at: datetime | None = None, next_free_slot: bool = False
) -> Post:
    """Put the post's draft targets on the schedule (draft/approved → scheduled)."""
    post = Post.objects.select_for_update().get(id=post.id)
    if (
        not PostTarget.objects.filter(post=post, status=T.DRAFT).exists()
        and PostTarget.objects.filter(post=post).exists()
    ):
        raise ConflictError(
            "Nothing left to schedule: use reschedule, or retry the failed targets.",
            code="already_scheduled",
        )
    _ready(post)
    when = _when(post, scheduled_at, next_free_slot)
    PostTarget.objects.filter(post=post, status=T.DRAFT).update(
        status=T.SCHEDULED,
        due_at=when,
        next_attempt_at=when,
        attempts=0,
        max_attempts=setting("FLOWLINE_POSTS_MAX_ATTEMPTS"),
        error="",
        error_code="",
        updated_at=timezone.now(),
    )
    return _scheduled_at(post, when)


@transaction.atomic
def post_reschedule(
    *, post: Post, scheduled_at: datetime | None = None, next_free_slot: bool = False
) -> Post:
    """Move the targets still waiting for their time (409 when none is waiting)."""
    post = Post.objects.select_for_update().get(id=post.id)
    when = _when(post, scheduled_at, next_free_slot)
    moved = PostTarget.objects.filter(post=post, status=T.SCHEDULED).update(
        due_at=when, next_attempt_at=when, updated_at=timezone.now()
    )
    if not moved:
        raise ConflictError("The post is not waiting on the schedule.", code="not_scheduled")
    return _scheduled_at(post, when)


@transaction.atomic
def post_cancel(*, post: Post) -> Post:
    """Take the post off the schedule: targets waiting for their time or for a retry go
    back to draft. Targets being published right now, or already out, are left as they
    are (a partially published post stays partially published)."""
    post = Post.objects.select_for_update().get(id=post.id)
    cancelled = PostTarget.objects.filter(post=post, status__in=(T.SCHEDULED, T.RETRYING)).update(
        status=T.DRAFT, due_at=None, next_attempt_at=None, updated_at=timezone.now()
    )
    if not cancelled:
        raise ConflictError("Nothing of this post is waiting to go out.", code="not_scheduled")
    return _scheduled_at(post, None)


def _scheduled_at(post: Post, when: datetime | None) -> Post:
    """The post's own time, once its targets have been moved to (or off) it."""
    post.scheduled_at = when
    post.save(update_fields=["scheduled_at", "updated_at"])
    return post_resynced(post)


# --- posting slots ----------------------------------------------------------------------


def _slot_times(slot: PostingSlot, after: datetime, days: int):
    zone = ZoneInfo(slot.timezone)
    start = after.astimezone(zone).date()
    for offset in range(days + 1):
        day = start + timedelta(days=offset)
        if day.weekday() != slot.weekday:
            continue
        local = datetime.combine(day, slot.time, tzinfo=zone)
        moment = local.astimezone(ZoneInfo("UTC"))
        if moment > after:
            yield moment


def next_free_slot_for(
    *, social_account_ids: list[int], after: datetime | None = None, exclude_post_id=None
) -> datetime | None:
    """The earliest slot of any of these social accounts, after `after`, at which none of
    them already has a post due (None when there is none within the horizon)."""
    after = after or timezone.now()
    slots = PostingSlot.objects.filter(social_account_id__in=social_account_ids)
    candidates = sorted({t for slot in slots for t in _slot_times(slot, after, SLOT_HORIZON_DAYS)})
    if not candidates:
        return None
    busy = PostTarget.objects.filter(
        social_account_id__in=social_account_ids,
        due_at__gte=candidates[0] - SLOT_WINDOW,
        due_at__lte=candidates[-1] + SLOT_WINDOW,
    ).exclude(status=T.DRAFT)
    if exclude_post_id is not None:
        busy = busy.exclude(post_id=exclude_post_id)
    taken = list(busy.values_list("due_at", flat=True))
    for moment in candidates:
        if all(abs(moment - due) > SLOT_WINDOW for due in taken):
            return moment
    return None
