"""Gitea's webhook (003 `POST system/webhook/`): signed deliveries, recorded once.

Gitea signs the raw body with the hook's secret: `X-Gitea-Signature` is the hex
HMAC-SHA256 (`X-Hub-Signature-256` carries the same value as `sha256=<hex>`). It signs no
timestamp, so a replay is refused by its delivery id (`X-Gitea-Delivery`, a UUID per
delivery), stored with the delivery in one transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re

from django.conf import settings
from django.db import IntegrityError, transaction

from flowline.core.errors import ApplicationError, ConflictError
from flowline.system.models import GiteaDelivery

_DELIVERY_ID = re.compile(r"[A-Za-z0-9._-]{1,100}")
_EVENT = re.compile(r"[a-z_]{1,50}")


def _verify(body: bytes, signature: str | None) -> None:
    secret = settings.GITEA_WEBHOOK_SECRET
    if not secret:
        raise ApplicationError(
            "The Gitea webhook is not configured.", code="not_configured", status=503
        )
    sent = (signature or "").strip().lower().removeprefix("sha256=")
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not sent or not hmac.compare_digest(expected, sent):
        raise ApplicationError("Invalid signature.", code="invalid_signature", status=401)


def _text(value, limit: int = 255) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _summary(event: str, payload: dict) -> dict:
    """What the delivery says, in a few fields (pushes and pull requests in detail)."""
    if event == "push":
        commits = payload.get("commits")
        return {
            "before": _text(payload.get("before"), 64),
            "after": _text(payload.get("after"), 64),
            "commits": len(commits) if isinstance(commits, list) else 0,
        }
    pull = payload.get("pull_request")
    if isinstance(pull, dict):
        number = pull.get("number")
        return {
            "number": number if isinstance(number, int) and not isinstance(number, bool) else None,
            "title": _text(pull.get("title")),
            "merged": pull.get("merged") is True,
        }
    return {}


def gitea_delivery_receive(
    *, body: bytes, signature: str | None, delivery_id: str | None, event: str | None
) -> GiteaDelivery:
    """Verify a delivery (401 bad signature, 503 no secret configured), then record it;
    a delivery id seen before is 409 `replayed_delivery` and changes nothing."""
    _verify(body, signature)
    if not delivery_id or not _DELIVERY_ID.fullmatch(delivery_id):
        raise ApplicationError(
            "X-Gitea-Delivery is missing or malformed.",
            code="invalid_delivery",
            errors={"X-Gitea-Delivery": ["Required: the delivery's id."]},
        )
    event = event if event and _EVENT.fullmatch(event) else "unknown"
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        payload = None
    if not isinstance(payload, dict):
        raise ApplicationError("The body is not a JSON object.", code="invalid_payload")
    repository = payload.get("repository") if isinstance(payload.get("repository"), dict) else {}
    sender = payload.get("sender") if isinstance(payload.get("sender"), dict) else {}
    try:
        with transaction.atomic():
            return GiteaDelivery.objects.create(
                delivery_id=delivery_id,
                event=event,
                repository=_text(repository.get("full_name")),
                ref=_text(payload.get("ref")),
                action=_text(payload.get("action"), 50),
                sender=_text(sender.get("login") or sender.get("username")),
                summary=_summary(event, payload),
                payload=payload,
            )
    except IntegrityError as exc:
        raise ConflictError("This delivery was received before.", code="replayed_delivery") from exc
