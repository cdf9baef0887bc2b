"""`Idempotency-Key` for operations that cost money or start jobs (Stripe's semantics).

The first request with a key does the work and its answer is stored; a replay with the
same key and body gets that answer again and does nothing; the same key with another
body is a 409. The key is scoped to the user in the account: two members (or a
member's API key and a colleague's) using the same key get independent answers, and one
member cannot learn from a 409 which keys a colleague used. A user's API keys act as
that user and share their keys.
"""

from __future__ import annotations

import functools
import hashlib
import re

import orjson
from django.db import IntegrityError, transaction
from rest_framework.response import Response

from flowline.core import tenancy
from flowline.core.envelope import EnvelopedResponse, dumps
from flowline.core.errors import ApplicationError, ConflictError
from flowline.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
_VALID = re.compile(r"^[\x21-\x7e]{1,255}$")


def key_from(request) -> str | None:
    """The request's Idempotency-Key, validated; None when absent."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not _VALID.match(key):
        raise ApplicationError(
            "Idempotency-Key must be 1 to 255 visible ASCII characters.",
            code="invalid_idempotency_key",
        )
    return key


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.path.encode())
    digest.update(request.body if request.body else b"")
    return digest.hexdigest()


def idempotent(view_method):
    """Decorate a DRF view method (after authentication has set the account)."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = key_from(request)
        if key is None:
            return view_method(self, request, *args, **kwargs)
        ctx = tenancy.require()
        scope = {"account_id": ctx.account_id, "user_id": ctx.user_id or 0}
        fingerprint = _fingerprint(request._request)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    **scope,
                    key=key,
                    method=request.method,
                    path=request.path[:500],
                    request_hash=fingerprint,
                )
        except IntegrityError:
            return _replay(scope, key, fingerprint)
        try:
            response = view_method(self, request, *args, **kwargs)
        except Exception:
            record.delete()  # a failed attempt may be retried with the same key
            raise
        if response.status_code < 500:
            stored = {"enveloped": getattr(response, "is_enveloped", False), "data": response.data}
            IdempotencyRecord.objects.filter(pk=record.pk).update(
                status_code=response.status_code, response_body=dumps(stored)
            )
        else:
            record.delete()
        return response

    return wrapper


def _replay(scope: dict, key: str, fingerprint: str):
    record = IdempotencyRecord.objects.get(**scope, key=key)
    if record.request_hash != fingerprint:
        raise ConflictError(
            "This Idempotency-Key was used for a different request.", code="idempotency_key_reused"
        )
    if record.status_code is None:
        raise ConflictError(
            "A request with this Idempotency-Key is still being processed.",
            code="idempotency_in_progress",
        )
    stored = orjson.loads(bytes(record.response_body or b""))
    response_class = EnvelopedResponse if stored["enveloped"] else Response
    response = response_class(stored["data"], status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


__all__ = ["HEADER", "idempotent", "key_from"]
