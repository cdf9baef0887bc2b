"""One signed POST to a receiver: the wire format of Flowline's outbound webhooks.

Receivers verify `X-Flowline-Signature: t=<unix>,v1=<hex>` where `v1` is the HMAC-SHA256
of `"<t>.<raw body>"` keyed with the endpoint's secret (Stripe's scheme): compare in
constant time and refuse timestamps older than a few minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass

import httpx

from flowline.core import outbound

TIMEOUT = httpx.Timeout(10.0)
# What is kept of a receiver's answer; reading stops there, however much it sends.
RESPONSE_BODY_LIMIT = 2000
USER_AGENT = "Flowline-Webhooks/1"


@dataclass(frozen=True, slots=True)
class Answer:
    """What the receiver said: its status and the start of its body."""

    status: int
    body: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `X-Flowline-Signature` value for `body` sent at `timestamp`."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event_body(*, event_id: str, event_type: str, created: int, data) -> bytes:
    """The JSON document a receiver gets: `{"id", "type", "created", "data"}`."""
    document = {"id": event_id, "type": event_type, "created": created, "data": data}
    return json.dumps(document, separators=(",", ":"), default=str).encode()


def post_signed(
    url: str,
    *,
    body: bytes,
    secret: str,
    event_type: str,
    delivery_id: int,
) -> Answer:
    """POST `body` signed with `secret` and return the receiver's answer, whatever its
    status. Raises `outbound.errors.OutboundError` when no answer came (`ForbiddenURL`
    when the URL's host is an internal address that is not allow-listed: the guarded
    client checks it, and connects to the address it checked, at every attempt).
    Redirects are not followed: a 3xx is a failed attempt.
    """
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Flowline-Event": event_type,
        "X-Flowline-Delivery": str(delivery_id),
        "X-Flowline-Timestamp": str(timestamp),
        "X-Flowline-Signature": signature(secret, timestamp, body),
    }
    with outbound.Client(service="The receiver", timeout=TIMEOUT) as client:
        response = client.request(
            "POST",
            url,
            content=body,
            headers=headers,
            check=False,
            limit=RESPONSE_BODY_LIMIT,
            truncate=True,
        )
    text = response.content.decode("utf-8", errors="replace")
    return Answer(status=response.status_code, body=text)
