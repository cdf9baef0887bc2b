"""Claiming due targets: the one place that decides which worker publishes what.

A due target is claimed in a short transaction: the row is locked with
`select_for_update(skip_locked=True)` (PostgreSQL: other workers skip it instead of
waiting) and moved to `publishing` with a fresh `claim_token` by a conditional UPDATE on
the state that was read (SQLite, which has no row locks, relies on that alone). Only the
holder of the token may record the outcome, so a post goes out once however many
workers sweep at the same moment.

A row the claim finds in `unknown` (a send timed out) or in `publishing` past its lease
(its worker died after claiming) is claimed to be *settled*: the platform is asked
whether the post is there before anything is sent again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from flowline.core import leases
from flowline.posts.conf import setting
from flowline.posts.models import PostTarget, SocialAccountPace

T = PostTarget.Status


@dataclass(frozen=True)
class Claim:
    """A target this worker now holds. `settle`: it may already be on the platform."""

    target: PostTarget
    token: uuid.UUID
    settle: bool


def lease() -> leases.Lease:
    """How long a claim holds without its worker renewing it (`renew`, from the publish's
    heartbeat): a dead worker's `publishing` target is settled this soon."""
    return leases.Lease(setting("FLOWLINE_POSTS_LEASE_SECONDS"))


def missed_after() -> timedelta:
    return timedelta(seconds=setting("FLOWLINE_POSTS_MISSED_AFTER"))


def due(now: datetime) -> Q:
    return Q(status__in=(T.SCHEDULED, T.RETRYING, T.UNKNOWN), next_attempt_at__lte=now) | Q(
        status=T.PUBLISHING, claimed_at__lt=lease().abandoned_before(now)
    )


def due_targets(now: datetime):
    """Due targets of social accounts the scheduler is not pacing, oldest first."""
    paused = SocialAccountPace.unscoped.filter(paused_until__gt=now).values("social_account_id")
    return (
        PostTarget.unscoped.filter(due(now))
        .exclude(social_account_id__in=paused)
        .order_by("next_attempt_at", "id")
    )


def is_missed(target: PostTarget, now: datetime) -> bool:
    """First found long past its time (never tried in this round): too late to go out."""
    return (
        target.status == T.SCHEDULED
        and target.attempts == 0
        and target.due_at is not None
        and target.due_at < now - missed_after()
    )


def claim_next(now: datetime) -> Claim | PostTarget | None:
    """Claim the oldest due target. Returns a Claim to publish or settle, the target
    itself when it was claimed only to be marked missed (the caller records that), or
    None when nothing is due."""
    return leases.claim_next(due_targets(now), lambda target: _take(target, now))


def _take(target: PostTarget, now: datetime) -> Claim | PostTarget | None:
    """Move the target to `publishing` (or `missed`) if it is still as it was read."""
    same = PostTarget.unscoped.filter(
        id=target.id,
        status=target.status,
        claim_token=target.claim_token,
        next_attempt_at=target.next_attempt_at,
    )
    if is_missed(target, now):
        if not same.update(status=T.MISSED, next_attempt_at=None, claim_token=None):
            return None
        target.refresh_from_db()
        return target
    settle = target.status in (T.UNKNOWN, T.PUBLISHING)
    token = uuid.uuid4()
    fields = {"status": T.PUBLISHING, "claim_token": token, "claimed_at": now}
    if not settle:
        # about to send: count the attempt, remember when this round first went out (the
        # wall clock, not the sweep's `now`: find_published searches the platform from it)
        fields.update(attempts=F("attempts") + 1, sent_at=Coalesce(F("sent_at"), timezone.now()))
    if not same.update(**fields):
        return None
    fresh = PostTarget.unscoped.select_related("post", "social_account").get(id=target.id)
    return Claim(target=fresh, token=token, settle=settle)


def renew(claim: Claim) -> bool:
    """The worker holding the claim is alive: extend its lease."""
    return bool(
        PostTarget.unscoped.filter(
            id=claim.target.id, claim_token=claim.token, status=T.PUBLISHING
        ).update(claimed_at=timezone.now())
    )


def count_send(claim: Claim) -> bool:
    """A settled target the platform does not have is sent again: count that attempt
    (only while the claim is still ours)."""
    return bool(
        PostTarget.unscoped.filter(
            id=claim.target.id, claim_token=claim.token, status=T.PUBLISHING
        ).update(attempts=F("attempts") + 1, sent_at=Coalesce(F("sent_at"), timezone.now()))
    )
