"""The webhook deliveries Stripe sends: events, signed the way Stripe signs them.

`Stripe-Signature: t=<ts>,v1=HMAC-SHA256(secret, "<ts>.<payload>")`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from flowline.sandbox.server import Sequence

WEBHOOK_SECRET = "whsec_flowline_fake"
_event_ids = Sequence(1)


def event(event_type: str, obj: dict, *, event_id: str | None = None) -> dict:
    """A Stripe event wrapping `obj` (a checkout session, invoice, subscription...)."""
    return {
        "id": event_id or f"evt_fake{next(_event_ids):06d}",
        "object": "event",
        "type": event_type,
        "api_version": "2025-01-27.acacia",
        "created": int(time.time()),
        "livemode": False,
        "data": {"object": obj},
    }


def signature_header(payload: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    """`Stripe-Signature` for `payload`, as Stripe computes it."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def signed_webhook(
    evt: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[str, str]:
    """(body, Stripe-Signature header) of one delivery of `evt`."""
    payload = json.dumps(evt)
    return payload, signature_header(payload, secret=secret, timestamp=timestamp)
