"""Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payloads (RFC 8291).

Browsers hand us a PushSubscription (endpoint + p256dh/auth keys); we encrypt each
payload for that browser and POST it to its push service, signed with our VAPID key.
A 404 or 410 means the browser dropped the subscription: we forget it. The endpoint is
a URL a browser (so anyone) gives: pywebpush sends through the guarded outbound
session, which checks the address it connects to at every push.
"""

from __future__ import annotations

import base64
import logging
from functools import cache
from urllib.parse import urlsplit

import orjson
import requests
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import transaction
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from flowline.core import outbound, urlguard
from flowline.core.errors import ApplicationError, NotFoundError
from flowline.notifications.models import PushSubscription

logger = logging.getLogger("flowline.notifications")


class TransientPushError(outbound.errors.Transient):
    """The push service is busy or unreachable; worth another try later."""


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@cache
def _vapid(private_key: str) -> Vapid:
    return Vapid.from_string(private_key=private_key)


def push_enabled() -> bool:
    return bool(settings.VAPID_PRIVATE_KEY)


def vapid_public_key() -> str:
    """The applicationServerKey browsers subscribe with (uncompressed P-256, base64url)."""
    if settings.VAPID_PUBLIC_KEY or not push_enabled():
        return settings.VAPID_PUBLIC_KEY
    point = _vapid(settings.VAPID_PRIVATE_KEY).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(point)


def check_endpoint(url: str) -> None:
    """Refuse endpoints that are not https URLs (push services all are; a local one on
    FLOWLINE_ALLOWED_PRIVATE_HOSTS may be plain http) or that point into internal networks
    (the server would POST there)."""
    parts = urlsplit(url)
    error = ApplicationError(
        "This is not a push service endpoint.", errors={"endpoint": ["Invalid endpoint."]}
    )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise error
    if parts.scheme != "https" and not urlguard.allow_listed(url):
        raise error
    try:
        urlguard.check(url, field="endpoint")  # the one check every user-given URL gets
    except ApplicationError as exc:
        raise error from exc


@transaction.atomic
def push_subscription_save(
    *, account_id: int, user_id: int, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Subscribe a browser; subscribing the same endpoint again (another user on the
    same browser, or fresh keys) moves it to this user and account."""
    check_endpoint(endpoint)
    # unscoped: an endpoint is unique across accounts and moves to this one
    subscription, _ = PushSubscription.unscoped.select_for_update().update_or_create(
        endpoint=endpoint,
        defaults={
            "account_id": account_id,
            "user_id": user_id,
            "p256dh": p256dh,
            "auth": auth,
            "user_agent": user_agent[:500],
        },
    )
    return subscription


def push_subscription_delete(*, account_id: int, user_id: int, endpoint: str) -> None:
    """Unsubscribe one of the user's browsers; anyone else's endpoint is a 404."""
    deleted, _ = PushSubscription.objects.filter(
        account_id=account_id, user_id=user_id, endpoint=endpoint
    ).delete()
    if not deleted:
        raise NotFoundError("No such push subscription.")


def push_send(*, subscription: PushSubscription, payload: dict) -> bool:
    """Encrypt and send `payload` to one browser. False when the subscription is gone
    (and now deleted); TransientPushError when it is worth trying again."""
    try:
        check_endpoint(subscription.endpoint)
        with outbound.guarded_session() as session:
            _push(subscription, payload, session)
    except WebPushException as exc:
        status = exc.status_code
        kind = outbound.errors.kind_for_status(status) if status else outbound.errors.Transient
        if issubclass(kind, outbound.errors.NotFound):  # the browser dropped it
            PushSubscription.unscoped.filter(id=subscription.id).delete()
            return False
        if issubclass(kind, outbound.errors.Transient):
            raise TransientPushError(str(exc)) from exc
        logger.warning("Push to subscription %s refused: %s", subscription.id, exc)
        return False
    except ApplicationError:
        logger.warning("Push subscription %s has a refused endpoint", subscription.id)
        return False
    except requests.RequestException as exc:
        raise TransientPushError(str(exc)) from exc
    return True


def _push(subscription: PushSubscription, payload: dict, session) -> None:
    webpush(
        subscription_info=subscription.as_subscription_info(),
        data=orjson.dumps(payload).decode(),
        vapid_private_key=_vapid(settings.VAPID_PRIVATE_KEY),
        # A fresh dict each time: pywebpush writes `aud` and `exp` into it.
        vapid_claims={"sub": settings.VAPID_SUBJECT},
        content_encoding="aes128gcm",
        ttl=settings.WEBPUSH_TTL,
        timeout=settings.WEBPUSH_TIMEOUT,
        requests_session=session,
    )
