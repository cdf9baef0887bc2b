"""Webhooks from the WordPress site: a post's status changed, or its metadata did.

The site authenticates in one of two ways:

- an API key of the account (`Authorization: Api-Key flk_...`, scope
  `integration:write`) with the integration named by `integration_id` in the body;
- an HMAC signature with the integration's webhook secret:
  `X-Flowline-Integration: <id>` and `X-Flowline-Signature: t=<unix>,v1=<hex>` where
  v1 = HMAC-SHA256(secret, "<t>.<raw body>"), compared in constant time, `t` within
  WORDPRESS_WEBHOOK_TOLERANCE seconds (300) of our clock.

Every body carries an `event_id`. It is stored (SyncEvent.event_id, unique per
integration) in the same transaction as the event's effect: a replay, or a concurrent
duplicate, changes nothing and is answered `"result": "duplicate"`.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.db import IntegrityError, transaction

from flowline.core.errors import ApplicationError, NotFoundError
from flowline.integration.models import PublishRecord, SiteIntegration, SyncEvent
from flowline.integration.services import remote

DEFAULT_TOLERANCE_SECONDS = 300
_METADATA_FIELDS = (
    "title",
    "slug",
    "link",
    "categories",
    "tags",
    "excerpt",
    "modified",
    "modified_gmt",
)


class InvalidSignature(ApplicationError):
    status_code = 401
    default_code = "invalid_signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `X-Flowline-Signature` value a site sends for `body` at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def integration_from_signature(
    *, raw_body: bytes, integration_header: str | None, signature_header: str | None
) -> SiteIntegration:
    """The integration whose secret signed `raw_body`; 401 for anything else (an unknown
    integration looks the same as a bad signature)."""
    if not signature_header or not integration_header:
        raise InvalidSignature("Missing signature.")
    try:
        parts = dict(item.strip().split("=", 1) for item in signature_header.split(","))
        timestamp = int(parts["t"])
        sent = parts["v1"]
        integration_id = int(integration_header)
    except (KeyError, ValueError) as exc:
        raise InvalidSignature("Malformed signature.") from exc
    tolerance = int(getattr(settings, "WORDPRESS_WEBHOOK_TOLERANCE", DEFAULT_TOLERANCE_SECONDS))
    if abs(time.time() - timestamp) > tolerance:
        raise InvalidSignature("The signature's timestamp is too old.", code="stale_signature")
    integration = SiteIntegration.unscoped.filter(id=integration_id, is_active=True).first()
    secret = integration.webhook_secret if integration else "no-such-integration"
    expected = signature(secret, timestamp, raw_body).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, sent) or integration is None:
        raise InvalidSignature("Invalid signature.")
    return integration


def integration_for_key(*, integration_id) -> SiteIntegration:
    """The API-key caller's integration (its account is the active tenant): 404 when it
    is another account's."""
    integration = SiteIntegration.objects.filter(id=integration_id, is_active=True).first()
    if integration is None:
        raise NotFoundError(
            "Integration not found.", errors={"integration_id": ["Unknown integration."]}
        )
    return integration


def status_receive(*, integration: SiteIntegration, event: dict) -> dict:
    """A post's status changed on the site (published, drafted, trashed...): the record
    and the writer's content follow it. With `modified_gmt`, an event older than
    Flowline's last write is ignored, and a newer one is noted as a change a publish
    must not overwrite silently."""

    def apply(record: PublishRecord) -> None:
        if remote.is_stale(record, event):
            return
        record.remote = {**record.remote, "status": event["status"]}
        record.post_status = event["status"]
        if event.get("link"):
            record.remote["link"] = record.url = event["link"]
        record.conflict = remote.changes_from_event(record, event) or record.conflict
        record.save(update_fields=["remote", "post_status", "url", "conflict", "updated_at"])
        remote.follow_post_status(record)

    return _receive(integration, SyncEvent.Kind.STATUS_WEBHOOK, event, apply)


def metadata_receive(*, integration: SiteIntegration, event: dict) -> dict:
    """A post's metadata changed on the site (title, slug, link, terms...)."""

    def apply(record: PublishRecord) -> None:
        if remote.is_stale(record, event):
            return
        changed = {key: event[key] for key in _METADATA_FIELDS if key in event}
        record.remote = {**record.remote, **changed, "meta": event.get("meta") or {}}
        if event.get("link"):
            record.url = event["link"]
        record.conflict = remote.changes_from_event(record, event) or record.conflict
        record.save(update_fields=["remote", "url", "conflict", "updated_at"])

    return _receive(integration, SyncEvent.Kind.METADATA_WEBHOOK, event, apply)


def _receive(integration: SiteIntegration, kind: str, event: dict, apply) -> dict:
    event_id = event["event_id"]
    with transaction.atomic():
        try:
            with transaction.atomic():
                SyncEvent.unscoped.create(
                    account_id=integration.account_id,
                    integration=integration,
                    kind=kind,
                    event_id=event_id,
                    details={"post_id": event["post_id"]},
                )
        except IntegrityError:
            return {"event_id": event_id, "result": "duplicate"}
        record = (
            PublishRecord.unscoped.select_for_update()
            .filter(integration=integration, external_id=str(event["post_id"]))
            .first()
        )
        if record is None:
            return {"event_id": event_id, "result": "unknown_post"}
        apply(record)
    return {"event_id": event_id, "result": "applied", "record_id": record.id}
