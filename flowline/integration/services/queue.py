"""The publish queue (002 Publisher): content to publish now or at a set time.

The scheduler's sweep (`integration.publish_due`, every 30 s; also kicked when an item
is due at once) claims due rows one at a time: on PostgreSQL with
`select_for_update(skip_locked=True)`, so sweeps on several workers take different rows,
and everywhere with a conditional UPDATE that counts the attempt and leases the row, so
no row is published by two workers. A worker that dies leaves a lease that runs out;
the next sweep takes the row again and the publish finds the post it may have made
(see services.publishing) instead of making a second one.

Passing errors (5xx, 429, timeouts, no connection) are retried on the schedule in
services.retries: minutes at first, then hours, for about a day. A publish-now job hands
a content WordPress could not take to this queue (`queue_retry`) instead of giving up.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from flowline.core import leases, tenancy
from flowline.core.errors import ApplicationError, ConflictError
from flowline.integration import content_source
from flowline.integration.models import PublishQueueItem, SiteIntegration
from flowline.integration.services import retries
from flowline.integration.services.batches import refuse_known_conflicts
from flowline.integration.services.publishing import LEASE, content_publish, integration_for

logger = logging.getLogger("flowline.integration")
Status = PublishQueueItem.Status
# One sweep stops claiming after this long, so sweeps every 30 s do not pile up.
SWEEP_BUDGET_SECONDS = 25


def queue_add(
    *,
    account_id: int,
    content_id: int,
    integration_id: int | None = None,
    scheduled_at: datetime | None = None,
    post_status: str = "",
    force: bool = False,
    user_id: int | None = None,
) -> PublishQueueItem:
    """Queue one content for publishing at `scheduled_at` (now when None). 409 when the
    same content is already waiting for the same integration, or when its post is known
    to have changed on WordPress and `force` is off."""
    sites = content_source.site_ids(account_id=account_id, content_ids=[content_id])
    if content_id not in sites:
        raise ApplicationError(
            "Content not found.", code="not_found", errors={"content": ["Unknown content."]}
        )
    integration = integration_for(
        account_id=account_id, site_id=sites[content_id], integration_id=integration_id
    )
    waiting = PublishQueueItem.objects.filter(
        integration=integration,
        content_id=content_id,
        status__in=[Status.QUEUED, Status.PUBLISHING],
    )
    if waiting.exists():
        raise ConflictError(
            "This content is already queued for this site.",
            code="already_queued",
            errors={"content": ["Already queued."]},
        )
    if not force:
        refuse_known_conflicts(account_id=account_id, content_ids=[content_id])
    now = timezone.now()
    when = scheduled_at or now
    item = PublishQueueItem.objects.create(
        account_id=account_id,
        integration=integration,
        content_id=content_id,
        site_id=integration.site_id,
        post_status=post_status,
        force=force,
        scheduled_at=when,
        next_attempt_at=when,
        max_attempts=retries.max_attempts(),
        created_by_id=user_id,
    )
    if when <= now:
        transaction.on_commit(_kick)
    return item


def queue_retry(
    *,
    integration: SiteIntegration,
    content_id: int,
    exc: Exception,
    post_status: str = "",
    force: bool = False,
    user_id: int | None = None,
) -> PublishQueueItem:
    """A publish that just failed for a passing reason, handed to the queue: tried again
    on its schedule (the failed attempt counts as the first). An item already waiting
    for the same content and site is returned instead."""
    waiting = PublishQueueItem.objects.filter(
        integration=integration,
        content_id=content_id,
        status__in=[Status.QUEUED, Status.PUBLISHING],
    ).first()
    if waiting is not None:
        return waiting
    now = timezone.now()
    return PublishQueueItem.objects.create(
        account_id=integration.account_id,
        integration=integration,
        content_id=content_id,
        site_id=integration.site_id,
        post_status=post_status,
        force=force,
        scheduled_at=now,
        attempts=1,
        max_attempts=retries.max_attempts(),
        next_attempt_at=now + timedelta(seconds=retries.retry_delay(1, _retry_after(exc))),
        error=_message(exc),
        error_code=_code(exc),
        created_by_id=user_id,
    )


def queue_cancel(*, item: PublishQueueItem) -> PublishQueueItem:
    """Cancel a queued item; one being published or done cannot be (409)."""
    if not PublishQueueItem.objects.filter(id=item.id, status=Status.QUEUED).update(
        status=Status.CANCELLED, updated_at=timezone.now()
    ):
        raise ConflictError("Only queued items can be cancelled.", code="not_cancellable")
    item.refresh_from_db()
    return item


def publish_due(*, now: datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Publish every due item, each once; returns the outcomes counted."""
    outcomes: Counter[str] = Counter()
    abandoned = _fail_abandoned(now or timezone.now())
    if abandoned:
        outcomes["failed"] += abandoned
    tried: set[int] = set()  # a retry due within this sweep waits for the next one
    for item in leases.claimed(
        lambda: _claim_next(now or timezone.now(), exclude=tried),
        limit=limit,
        budget=SWEEP_BUDGET_SECONDS,
    ):
        tried.add(item.id)
        outcomes[_run(item)] += 1
    return dict(outcomes)


def _due(now: datetime) -> Q:
    # Queued and due, or publishing with a lease that ran out (its worker died).
    return Q(
        status__in=[Status.QUEUED, Status.PUBLISHING],
        next_attempt_at__lte=now,
        attempts__lt=F("max_attempts"),
    )


def _claim_next(now: datetime, *, exclude: set[int]) -> PublishQueueItem | None:
    due = (
        PublishQueueItem.unscoped.filter(_due(now))
        .exclude(id__in=exclude)
        .order_by("next_attempt_at", "id")
    )
    return leases.claim_next(due.only("id"), lambda row: _claim(row.id, now))


def _claim(item_id: int, now: datetime) -> PublishQueueItem | None:
    """Count and lease the attempt if the item is still due (no other worker took it)."""
    claimed = (
        PublishQueueItem.unscoped.filter(_due(now), id=item_id)
        .order_by()
        .update(
            status=Status.PUBLISHING,
            next_attempt_at=now + LEASE,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    if not claimed:
        return None
    return PublishQueueItem.unscoped.select_related("integration").get(id=item_id)


def _run(item: PublishQueueItem) -> str:
    """Publish the claimed item and record the outcome."""
    try:
        with tenancy.tenant_scope(item.account_id, user_id=item.created_by_id):
            record = content_publish(
                account_id=item.account_id,
                content_id=item.content_id,
                integration=item.integration,
                post_status=item.post_status or None,
                force=item.force,
            )
    except Exception as exc:
        return _failed(item, exc)
    now = timezone.now()
    PublishQueueItem.unscoped.filter(id=item.id, status=Status.PUBLISHING).update(
        status=Status.PUBLISHED,
        record=record,
        published_at=now,
        error="",
        error_code="",
        updated_at=now,
    )
    return "published"


def _failed(item: PublishQueueItem, exc: Exception) -> str:
    retryable = getattr(exc, "transient", False)
    if not isinstance(exc, ApplicationError):
        logger.exception("Publishing queue item %s failed", item.id)
        retryable = True  # an unexpected error: try again, up to the bound
    message, code = _message(exc), _code(exc)
    now = timezone.now()
    fields = {"error": message, "error_code": code, "updated_at": now}
    if retryable and not retries.policy().exhausted(item.attempts, item.max_attempts):
        delay = retries.retry_delay(item.attempts, _retry_after(exc))
        fields.update(status=Status.QUEUED, next_attempt_at=now + timedelta(seconds=delay))
        outcome = "retrying"
    else:
        fields.update(status=Status.FAILED)
        outcome = "failed"
    PublishQueueItem.unscoped.filter(id=item.id, status=Status.PUBLISHING).update(**fields)
    if outcome == "failed":
        if retryable:  # a permanent error's webhook event was sent by the publish itself
            _emit_failed(item, message, code)
        _notify_failed(item, message, code)
    return outcome


def _message(exc: Exception) -> str:
    return (getattr(exc, "message", None) or str(exc) or type(exc).__name__)[:500]


def _code(exc: Exception) -> str:
    return str(getattr(exc, "code", "") or type(exc).__name__)[:64]


def _retry_after(exc: Exception) -> float | None:
    return getattr(exc, "retry_after", None)


def _fail_abandoned(now: datetime) -> int:
    """Items whose last attempt's worker died (lease over, no attempts left)."""
    return leases.end_abandoned(
        PublishQueueItem.unscoped.filter(
            status=Status.PUBLISHING, next_attempt_at__lte=now, attempts__gte=F("max_attempts")
        ),
        status=Status.FAILED,
        error="The worker stopped during the last attempt.",
        error_code="worker_lost",
        updated_at=now,
    )


def _emit_failed(item: PublishQueueItem, message: str, code: str) -> None:
    from flowline.webhooks.public import emit

    emit(
        account_id=item.account_id,
        event_type="content.publish_failed",
        payload={
            "content_id": item.content_id,
            "site_id": item.site_id,
            "integration_id": item.integration_id,
            "queue_item_id": item.id,
            "error": message,
            "error_code": code,
        },
    )


def _notify_failed(item: PublishQueueItem, message: str, code: str) -> None:
    """Tell who queued it (or the account's admins) that it did not go out."""
    from flowline.notifications.public import notify
    from flowline.writer.public import content_title

    title = content_title(item.content_id)
    notify(
        account_id=item.account_id,
        user_ids=[item.created_by_id] if item.created_by_id else None,
        notification_type="content_publish_failed",
        context={
            "title": title or f"Content {item.content_id}",
            "site_url": item.integration.base_url,
            "error": message,
            "error_code": code,
            "content_id": item.content_id,
            "queue_item_id": item.id,
        },
        link=f"/publisher/queue/{item.id}",
    )


def _kick() -> None:
    """Run the sweep now instead of at its next tick (best effort: beat runs it anyway)."""
    from flowline.integration.tasks import publish_due as task

    try:
        task.apply_async(retry=False)
    except Exception:  # broker down: the periodic sweep publishes it
        logger.warning("Broker unavailable; the publish queue waits for the sweep")
