"""Deliveries: created for subscribed endpoints, sent signed, retried with backoff.

The signature is Stripe-style: `X-Flowline-Signature: t=<unix>,v1=<hex HMAC-SHA256 of
"<t>.<raw body>" with the endpoint secret>`. Each attempt is claimed with a conditional
update so two workers never send the same attempt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import secrets
import time
from datetime import datetime, timedelta

import httpx
from django.db import transaction
from django.utils import timezone

from flowline.core import urlguard
from flowline.core.errors import ApplicationError
from flowline.webhooks.models import WebhookDelivery, WebhookEndpoint

BACKOFF = [30, 120, 600, 3600, 6 * 3600]  # seconds before attempts 2, 3, ...
LEASE = timedelta(seconds=60)
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def endpoint_save(*, endpoint: WebhookEndpoint | None = None, **fields) -> WebhookEndpoint:
    """Create or update an endpoint; the URL must not reach internal networks in production."""
    from flowline.webhooks.public import EVENT_TYPES

    if "url" in fields:
        urlguard.check(fields["url"], field="url")
    unknown = [t for t in fields.get("event_types", []) if t != "*" and t not in EVENT_TYPES]
    if unknown:
        raise ApplicationError("Unknown event types.", errors={"event_types": unknown})
    if endpoint is None:
        return WebhookEndpoint.objects.create(secret=new_secret(), **fields)
    for name, value in fields.items():
        setattr(endpoint, name, value)
    endpoint.save()
    return endpoint


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint


def deliveries_create(
    *, account_id: int, event_type: str, payload: dict, endpoints=None
) -> list[WebhookDelivery]:
    """One pending delivery per active subscribed endpoint (or per given endpoint)."""
    if endpoints is None:
        endpoints = [
            endpoint
            for endpoint in WebhookEndpoint.unscoped.filter(account_id=account_id, is_active=True)
            if endpoint.wants(event_type)
        ]
    now = timezone.now()
    return WebhookDelivery.unscoped.bulk_create(
        WebhookDelivery(
            account_id=account_id,
            endpoint=endpoint,
            event_type=event_type,
            payload=payload,
            next_attempt_at=now,
        )
        for endpoint in endpoints
    )


def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    claimed = WebhookDelivery.unscoped.filter(
        id=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return None
    return WebhookDelivery.unscoped.select_related("endpoint").get(id=delivery_id)


def deliver(delivery_id: int, *, now: datetime | None = None) -> str:
    """Make one attempt if it is due; returns what happened."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return "skipped"
    endpoint = delivery.endpoint
    body = json.dumps(
        {
            "id": str(delivery.event_id),
            "type": delivery.event_type,
            "created": int(delivery.created_at.timestamp()),
            "data": delivery.payload,
        },
        separators=(",", ":"),
        default=str,
    ).encode()
    timestamp = int(time.time())
    status_code, response_body, error = None, "", ""
    try:
        urlguard.check(endpoint.url, field="url")  # the host may have been re-pointed
        response = httpx.post(
            endpoint.url,
            content=body,
            timeout=TIMEOUT,
            follow_redirects=False,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Flowline-Webhooks/1",
                "X-Flowline-Event": delivery.event_type,
                "X-Flowline-Delivery": str(delivery.event_id),
                "X-Flowline-Timestamp": str(timestamp),
                "X-Flowline-Signature": signature(endpoint.secret, timestamp, body),
            },
        )
        status_code, response_body = response.status_code, response.text[:2000]
    except ApplicationError as exc:
        error = exc.message
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    return _record(delivery, now, status_code, response_body, error)


@transaction.atomic
def _record(delivery, now, status_code, response_body, error) -> str:
    delivery.attempts += 1
    delivery.last_response_status = status_code
    delivery.last_response_body = response_body
    delivery.last_error = error
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        outcome = "succeeded"
    elif delivery.attempts >= delivery.max_attempts:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
        outcome = "failed"
    else:
        wait = BACKOFF[min(delivery.attempts - 1, len(BACKOFF) - 1)]
        delivery.next_attempt_at = now + timedelta(seconds=wait * random.uniform(1.0, 1.25))  # noqa: S311
        outcome = "retrying"
    delivery.save()
    return outcome


def deliver_due(*, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send every delivery whose attempt is due (the scheduler runs this every 30 s)."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.unscoped.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
    outcomes: dict[str, int] = {}
    for delivery_id in due:
        outcome = deliver(delivery_id, now=now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """By hand: a new attempt now, with a fresh budget of attempts if it had failed."""
    WebhookDelivery.objects.filter(id=delivery.id).update(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at=timezone.now(),
        max_attempts=max(delivery.max_attempts, delivery.attempts + 1),
    )
    deliver(delivery.id)
    delivery.refresh_from_db()
    return delivery
