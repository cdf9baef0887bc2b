"""Endpoints and deliveries: created for subscribed endpoints, sent signed, retried.

Each attempt is claimed before it is made, with one conditional UPDATE that counts the
attempt and leases the row (`status=pending`, `next_attempt_at` = now + LEASE): two
workers, or a worker and a sweep, can never make the same attempt. A pending row whose
`next_attempt_at` is in the future is therefore being sent; a retrying one is waiting.
If a worker dies mid-attempt, the lease runs out and the sweep tries again.
"""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from flowline.core import leases, outbound, urlguard
from flowline.core.errors import ApplicationError, ConflictError
from flowline.webhooks import selectors, sending
from flowline.webhooks.models import WebhookDelivery, WebhookEndpoint
from flowline.webhooks.registry import event_type_exists

Status = WebhookDelivery.Status
# Waits before attempts 2, 3, ...: 30 s, 2 min, 10 min, 1 h, 6 h, each plus up to 25 %
# jitter so that receivers that come back are not hit by every retry at once.
RETRY = leases.Backoff(steps=(30, 120, 600, 3600, 6 * 3600), jitter=(1.0, 1.25), max_attempts=6)
# Longer than one attempt can take (connect + send + read, 10 s each at most).
LEASE = timedelta(minutes=2)
# One sweep stops claiming after this long, so sweeps every 30 s do not pile up.
SWEEP_BUDGET_SECONDS = 20
_WAITING = (Status.PENDING, Status.RETRYING)


def new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def endpoint_save(*, endpoint: WebhookEndpoint | None = None, **fields) -> WebhookEndpoint:
    """Create (with a new secret) or update an endpoint in the active account.

    The URL must not reach internal networks (unless its host:port is allow-listed);
    event types must be registered ones or `"*"`.
    """
    if "url" in fields:
        urlguard.check(fields["url"], field="url")
    unknown = [t for t in fields.get("event_types", []) if t != "*" and not event_type_exists(t)]
    if unknown:
        raise ApplicationError(
            f"Unknown event types: {', '.join(unknown)}.",
            code="unknown_event_type",
            errors={"event_types": [f"Unknown event type {name!r}." for name in unknown]},
        )
    if endpoint is None:
        return WebhookEndpoint.objects.create(secret=new_secret(), **fields)
    for name, value in fields.items():
        setattr(endpoint, name, value)
    endpoint.save()
    return endpoint


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Replace the signing secret; the old one stops at once."""
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint


def deliveries_create(
    *,
    account_id: int,
    event_type: str,
    payload: dict,
    endpoints: list[WebhookEndpoint] | None = None,
    max_attempts: int | None = None,
) -> list[WebhookDelivery]:
    """One delivery, due now, per active endpoint subscribed to `event_type` (or per
    endpoint given). Nothing is sent here: see `deliver()` and `deliver_due()`."""
    if endpoints is None:
        endpoints = selectors.endpoints_subscribed(account_id=account_id, event_type=event_type)
    now = timezone.now()
    extra = {"max_attempts": max_attempts} if max_attempts else {}
    return WebhookDelivery.unscoped.bulk_create(
        WebhookDelivery(
            account_id=account_id,
            endpoint=endpoint,
            event_type=event_type,
            payload=payload,
            next_attempt_at=now,
            **extra,
        )
        for endpoint in endpoints
    )


def endpoint_ping(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Send a `ping` event to the endpoint now, once (it is not retried)."""
    (delivery,) = deliveries_create(
        account_id=endpoint.account_id,
        event_type="ping",
        payload={"endpoint_id": endpoint.id, "message": "Hello from Flowline."},
        endpoints=[endpoint],
        max_attempts=1,
    )
    deliver(delivery.id)
    delivery.refresh_from_db()
    return delivery


def deliver(delivery_id: int, *, now: datetime | None = None) -> str:
    """Make the delivery's next attempt if it is due and nobody else is making it.

    Returns "succeeded", "retrying", "failed", or "skipped" (not due, in progress by
    another worker, or finished).
    """
    now = now or timezone.now()
    delivery = _claim(Q(id=delivery_id), now)
    if delivery is None:
        return "skipped"
    return _attempt(delivery, now)


def deliver_due(*, now: datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Make every due attempt, one claimed row at a time (the scheduler runs this every
    30 s; several workers may run it at once). Returns the outcomes counted."""
    now = now or timezone.now()
    outcomes: Counter[str] = Counter()
    abandoned = _fail_abandoned(now)
    if abandoned:
        outcomes["failed"] += abandoned
    for delivery in leases.claimed(
        lambda: _claim_next(now), limit=limit, budget=SWEEP_BUDGET_SECONDS
    ):
        outcomes[_attempt(delivery, now)] += 1
    return dict(outcomes)


def redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """By hand: one more attempt now, whatever the delivery's state, even after its
    attempts ran out. 409 while an attempt of it is in progress."""
    now = timezone.now()
    claimed = (
        WebhookDelivery.unscoped.filter(id=delivery.id)
        .exclude(status=Status.PENDING, next_attempt_at__gt=now)
        .update(
            status=Status.PENDING,
            next_attempt_at=now + LEASE,
            attempts=F("attempts") + 1,
            # the right-hand side reads the row before the update: old attempts + 1
            max_attempts=Greatest(F("max_attempts"), F("attempts") + 1),
        )
    )
    if not claimed:
        raise ConflictError(
            "An attempt of this delivery is in progress; try again shortly.",
            code="delivery_in_progress",
        )
    fresh = WebhookDelivery.unscoped.select_related("endpoint").get(id=delivery.id)
    _attempt(fresh, now)
    fresh.refresh_from_db()
    return fresh


def _due(now: datetime) -> Q:
    return Q(status__in=_WAITING, next_attempt_at__lte=now, attempts__lt=F("max_attempts"))


def _claim(which: Q, now: datetime) -> WebhookDelivery | None:
    """Count and lease one due attempt; None when another worker got there first."""
    claimed = (
        WebhookDelivery.unscoped.filter(which & _due(now))
        .order_by()
        .update(status=Status.PENDING, next_attempt_at=now + LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return WebhookDelivery.unscoped.select_related("endpoint").get(which)


def _claim_next(now: datetime) -> WebhookDelivery | None:
    """The oldest due delivery nobody is claiming (`_claim` makes the claim exclusive)."""
    due = WebhookDelivery.unscoped.filter(_due(now)).order_by("next_attempt_at", "id")
    return leases.claim_next(due.only("id"), lambda row: _claim(Q(id=row.id), now))


def _fail_abandoned(now: datetime) -> int:
    """Deliveries whose last attempt's worker died (lease over, no attempts left)."""
    return leases.end_abandoned(
        WebhookDelivery.unscoped.filter(
            status=Status.PENDING, next_attempt_at__lte=now, attempts__gte=F("max_attempts")
        ),
        status=Status.FAILED,
        next_attempt_at=None,
        last_error="The worker stopped during the last attempt.",
    )


def _attempt(delivery: WebhookDelivery, now: datetime) -> str:
    """Send the claimed attempt and record what happened."""
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        return _record(delivery, now, error="The endpoint is disabled.", final=True)
    body = sending.event_body(
        event_id=str(delivery.event_id),
        event_type=delivery.event_type,
        created=int(delivery.created_at.timestamp()),
        data=delivery.payload,
    )
    try:
        # The address is checked again at each attempt (the host may have been
        # re-pointed since the endpoint was saved) and the request goes to it.
        answer = sending.post_signed(
            endpoint.url,
            body=body,
            secret=endpoint.secret,
            event_type=delivery.event_type,
            delivery_id=delivery.id,
        )
    except outbound.errors.ForbiddenURL as exc:
        return _record(delivery, now, error=f"Not sent: {exc.message}", final=True)
    except outbound.errors.OutboundError as exc:
        return _record(delivery, now, error=exc.message)
    if answer.ok:
        return _record(delivery, now, answer=answer)
    return _record(delivery, now, answer=answer, error=f"The receiver answered {answer.status}.")


def _record(
    delivery: WebhookDelivery,
    now: datetime,
    *,
    answer: sending.Answer | None = None,
    error: str = "",
    final: bool = False,
) -> str:
    fields = {
        "last_response_status": answer.status if answer else None,
        "last_response_body": answer.body if answer else "",
        "last_error": error[:500],
    }
    if answer is not None and answer.ok:
        fields.update(status=Status.SUCCEEDED, delivered_at=now, next_attempt_at=None)
    elif final or RETRY.exhausted(delivery.attempts, delivery.max_attempts):
        fields.update(status=Status.FAILED, next_attempt_at=None)
    else:
        fields.update(status=Status.RETRYING, next_attempt_at=now + RETRY.delay(delivery.attempts))
    WebhookDelivery.unscoped.filter(id=delivery.id).update(**fields)
    for name, value in fields.items():
        setattr(delivery, name, value)
    return fields["status"].value
