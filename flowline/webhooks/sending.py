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
    addresses: list[str] | None = None,
) -> Answer:
    """POST `body` signed with `secret`; raises httpx.HTTPError when no answer came.

    With `addresses`, connect to those IPs (the next one only when a connection could
    not be made, so nothing was sent) instead of resolving the URL's host again: the
    SSRF guard checked them, a second lookup could return others. The Host header and
    TLS server name stay the URL's host, so certificates are checked as usual.
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
    if not addresses:
        return _post(httpx.URL(url), body, headers, None)
    for address in addresses[:-1]:
        try:
            return _post(httpx.URL(url), body, headers, address)
        except httpx.ConnectError:
            continue
    return _post(httpx.URL(url), body, headers, addresses[-1])


def _post(target: httpx.URL, body: bytes, headers: dict, address: str | None) -> Answer:
    headers = dict(headers)
    extensions = {}
    if address is not None:
        headers["Host"] = target.netloc.decode("ascii")
        if target.scheme == "https":
            extensions["sni_hostname"] = target.raw_host.decode("ascii")
        target = target.copy_with(host=address)
    # trust_env off: a proxy from the environment would resolve the host itself.
    with (
        httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False) as client,
        client.stream(
            "POST", target, content=body, headers=headers, extensions=extensions
        ) as response,
    ):
        kept = bytearray()
        for chunk in response.iter_bytes():
            kept += chunk
            if len(kept) >= RESPONSE_BODY_LIMIT:
                break
        text = bytes(kept[:RESPONSE_BODY_LIMIT]).decode("utf-8", errors="replace")
        return Answer(status=response.status_code, body=text)
