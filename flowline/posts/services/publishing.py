"""The scheduler: publish what is due, once, and record what happened.

`publish_due()` is the body of the `posts.publish_due` beat task (every few seconds on
every worker; any number may run at once). It claims one due target at a time
(`claims.claim_next`) and publishes it through the social account's adapter:

- success: `published` with the platform's id and URL; webhook `post.published`;
- `TransientPlatformError` (429, 5xx, unreachable): `retrying` after a backoff with
  jitter (the platform's Retry-After wins), and the whole social account is paced for
  that long, so its other posts wait too instead of piling on; after
  `max_attempts` sends it fails;
- `AuthorizationError` (dead token; the social app marks the account and tells its
  owner) and `ContentRejected`: `failed` at once;
- `UnknownOutcome` (sent, no answer): `unknown`; the next pass asks the platform with
  `find_published` and records it published if found, or sends again only once the
  lookup says it is absent;
- a target first found long after its time (`FLOWLINE_POSTS_MISSED_AFTER`) is `missed`.

A final failure (and a miss) keeps the platform's error, notifies the post's author and
emits the webhook `post.failed`.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from flowline.core import heartbeat, tenancy
from flowline.jobs.public import backoff_seconds
from flowline.posts import events
from flowline.posts.conf import setting
from flowline.posts.models import Post, PostTarget, SocialAccountPace
from flowline.posts.services import claims
from flowline.posts.services.content import variant_for
from flowline.posts.services.status import post_sync_status
from flowline.social import public as social

logger = logging.getLogger("flowline.posts")
T = PostTarget.Status
SINCE_MARGIN = timedelta(minutes=5)
DISCONNECTED_WHILE_UNKNOWN = social.AuthorizationError(
    "The account must be reconnected before Flowline can check whether this post went out."
)


def publish_due(
    *, now: datetime | None = None, limit: int = 200, budget: float | None = None
) -> dict[str, int]:
    """Publish every due target, one claim at a time, until none is due, `limit`
    targets were handled or `budget` seconds passed. Returns the outcomes counted."""
    outcomes: Counter[str] = Counter()
    budget = setting("FLOWLINE_POSTS_SWEEP_SECONDS") if budget is None else budget
    started = time.monotonic()
    while sum(outcomes.values()) < limit and time.monotonic() - started <= budget:
        claimed = claims.claim_next(now or timezone.now())
        if claimed is None:
            break
        if isinstance(claimed, PostTarget):
            outcomes[_missed(claimed)] += 1
            continue
        outcomes[process(claimed, now=now or timezone.now())] += 1
    return dict(outcomes)


def process(claim: claims.Claim, *, now: datetime) -> str:
    """Publish (or first settle) one claimed target; returns its new status. The claim's
    lease is renewed while the platform answers, so the lease can be short: a dead
    worker's target is settled within it, a slow answer keeps its claim."""
    with heartbeat.beating(
        lambda: claims.renew(claim),
        every=claims.lease().total_seconds() / 4,
        name=f"post-target-heartbeat-{claim.target.id}",
    ):
        return _process(claim, now=now)


def _process(claim: claims.Claim, *, now: datetime) -> str:
    target = claim.target
    account = target.social_account
    variant = variant_for(target.post, target.platform)
    with tenancy.tenant_scope(target.account_id):
        if account.status != account.Status.ACTIVE and claim.settle:
            # it may be out already and only the account's token can tell: wait for the
            # reconnection instead of failing it (a retry after a failure sends afresh)
            return _still_unknown(claim, DISCONNECTED_WHILE_UNKNOWN, now)
        if account.status != account.Status.ACTIVE:
            return _fail(
                claim,
                f"The {target.platform} account must be reconnected before it can publish.",
                code="social_account_unauthorized",
            )
        adapter = social.adapter_for(account)
        if claim.settle:
            # from a little before the first send: the platform's clock may differ
            since = (target.sent_at or target.updated_at) - SINCE_MARGIN
            try:
                found = adapter.find_published(variant, since)
            except social.AuthorizationError as exc:
                social.report_authorization_error(account, exc)
                return _fail(claim, str(exc), code=exc.code)
            except social.PlatformError as exc:
                # cannot tell yet: stay unknown, look again later (never send blindly)
                return _still_unknown(claim, exc, now)
            if found is not None:
                return _published(claim, found)
            if target.attempts >= target.max_attempts:
                return _fail(claim, "The platform does not have the post.", code="not_published")
            if not claims.count_send(claim):
                return "lost"
        try:
            published = adapter.publish(variant)
        except social.UnknownOutcome as exc:
            return _unknown(claim, exc, now)
        except social.TransientPlatformError as exc:
            return _transient(claim, exc, now)
        except social.AuthorizationError as exc:
            social.report_authorization_error(account, exc)
            return _fail(claim, str(exc), code=exc.code)
        except social.PlatformError as exc:
            return _fail(claim, str(exc), code=exc.code)
        except Exception as exc:  # after sending, anything unexpected may hide a success
            logger.exception("Publishing target %s failed unexpectedly", target.id)
            return _unknown(claim, exc, now)
        return _published(claim, published)


def _record(claim: claims.Claim, **fields) -> bool:
    """Write the outcome if this worker still holds the claim (else another worker took
    the row over after our lease ran out, and its settling decides)."""
    fields.setdefault("updated_at", timezone.now())
    return bool(
        PostTarget.unscoped.filter(
            id=claim.target.id, claim_token=claim.token, status=T.PUBLISHING
        ).update(**fields)
    )


@contextmanager
def _outcome(target: PostTarget):
    """The transaction recording an outcome. The post row is locked first, as the API's
    writes do (post, then its targets), so the two can never deadlock."""
    with transaction.atomic():
        Post.unscoped.select_for_update().filter(id=target.post_id).first()
        yield


def _published(claim: claims.Claim, published) -> str:
    target = claim.target
    now = timezone.now()
    with _outcome(target):
        if not _record(
            claim,
            status=T.PUBLISHED,
            external_id=published.external_id,
            url=published.url or "",
            published_at=now,
            error="",
            error_code="",
            claim_token=None,
            next_attempt_at=None,
        ):
            return "lost"
        events.target_published(target, published, now)
        _after(target)
    return T.PUBLISHED


def _fail(claim: claims.Claim, error: str, *, code: str) -> str:
    with _outcome(claim.target):
        if not _record(
            claim,
            status=T.FAILED,
            error=error[:2000],
            error_code=code[:50],
            claim_token=None,
            next_attempt_at=None,
        ):
            return "lost"
        target = claim.target
        target.error, target.error_code, target.status = error, code, T.FAILED
        events.target_failed(target)
        _after(target)
    return T.FAILED


def _missed(target: PostTarget) -> str:
    """Claimed as missed: record why, tell the author, emit post.failed."""
    late = timezone.now() - target.due_at
    error = f"Not published: found {int(late.total_seconds() // 60)} minutes after its time."
    with _outcome(target):
        PostTarget.unscoped.filter(id=target.id, status=T.MISSED).update(
            error=error, error_code="missed", updated_at=timezone.now()
        )
        target.error, target.error_code = error, "missed"
        events.target_failed(target)
        _after(target)
    return T.MISSED


def _transient(claim: claims.Claim, exc, now: datetime) -> str:
    target = claim.target
    attempts = PostTarget.unscoped.values_list("attempts", flat=True).get(id=target.id)
    if attempts >= target.max_attempts:
        return _fail(claim, f"{exc} (gave up after {attempts} attempts)", code=exc.code)
    delay = retry_delay(attempts, getattr(exc, "retry_after", None))
    with _outcome(target):
        if not _record(
            claim,
            status=T.RETRYING,
            error=str(exc)[:2000],
            error_code=exc.code[:50],
            claim_token=None,
            next_attempt_at=now + delay,
        ):
            return "lost"
        pace(
            target.social_account_id,
            account_id=target.account_id,
            until=now + delay,
            reason=str(exc),
        )
        _after(target)
    return T.RETRYING


def _unknown(claim: claims.Claim, exc, now: datetime) -> str:
    delay = timedelta(seconds=setting("FLOWLINE_POSTS_SETTLE_SECONDS"))
    with _outcome(claim.target):
        if not _record(
            claim,
            status=T.UNKNOWN,
            error=str(exc)[:2000],
            error_code=getattr(exc, "code", "unknown_outcome")[:50],
            claim_token=None,
            next_attempt_at=now + delay,
        ):
            return "lost"
        _after(claim.target)
    return T.UNKNOWN


def _still_unknown(claim: claims.Claim, exc, now: datetime) -> str:
    attempts = claim.target.attempts
    delay = retry_delay(max(1, attempts), getattr(exc, "retry_after", None))
    with _outcome(claim.target):
        if not _record(
            claim,
            status=T.UNKNOWN,
            error=f"Not confirmed yet: {exc}"[:2000],
            claim_token=None,
            next_attempt_at=now + delay,
        ):
            return "lost"
        if getattr(exc, "transient", False):
            pace(
                claim.target.social_account_id,
                account_id=claim.target.account_id,
                until=now + delay,
                reason=str(exc),
            )
        _after(claim.target)
    return T.UNKNOWN


def retry_delay(attempts: int, retry_after: float | None) -> timedelta:
    """Backoff with jitter; a platform's Retry-After is honoured, plus a little jitter so
    the targets it held back do not all come back in the same second."""
    seconds = backoff_seconds(attempts, retry_after)
    if retry_after:
        seconds *= random.uniform(1.0, 1.2)  # noqa: S311
    return timedelta(seconds=max(seconds, setting("FLOWLINE_POSTS_MIN_RETRY_SECONDS")))


def pace(social_account_id: int, *, account_id: int, until: datetime, reason: str = "") -> None:
    """Hold every target of the social account back until `until` (never shortens)."""
    rows = SocialAccountPace.unscoped.filter(social_account_id=social_account_id)
    if rows.filter(paused_until__lt=until).update(paused_until=until, reason=reason[:300]):
        return
    if rows.exists():
        return
    try:
        with transaction.atomic():
            SocialAccountPace.unscoped.create(
                account_id=account_id,
                social_account_id=social_account_id,
                paused_until=until,
                reason=reason[:300],
            )
    except IntegrityError:  # another worker paced it at the same moment
        rows.filter(paused_until__lt=until).update(paused_until=until, reason=reason[:300])


def _after(target: PostTarget) -> None:
    """Derive the post's status again and tell the author once it went out everywhere."""
    before = Post.unscoped.values_list("status", flat=True).get(id=target.post_id)
    status = post_sync_status(post_id=target.post_id)
    if status == Post.Status.PUBLISHED and before != status:
        events.post_published(target.post_id)
    events.post_changed(target.post_id, target.account_id)
