"""Every gateway call leaves an AICall row, then tells the usage listeners (billing)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flowline.ai.gateway.errors import AIProviderError
from flowline.ai.gateway.types import Target
from flowline.ai.models import AICall

logger = logging.getLogger("flowline.ai")
_MICRO = Decimal("0.000001")


@dataclass(frozen=True)
class AIUsage:
    """One successful AI call, as billing sees it."""

    account_id: int
    job_id: uuid.UUID | None
    operation: str
    provider: str
    model: str
    tokens_in: int
    tokens_out: int
    latency_ms: int
    cost_usd: Decimal
    offline: bool
    call_id: int | None = None
    images: int = 0


_listeners: list[Callable[[AIUsage], None]] = []


def register_usage_listener(listener: Callable[[AIUsage], None]) -> None:
    """Call `listener(usage)` after every successful AI call, once its AICall is saved.

    A listener that raises makes the call raise (billing may refuse an unpaid call); the
    AICall row stays.
    """
    if listener not in _listeners:
        _listeners.append(listener)


def unregister_usage_listener(listener: Callable[[AIUsage], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def cost(target: Target, *, tokens_in: int, tokens_out: int, images: int = 0) -> Decimal:
    total = (
        Decimal(tokens_in) * target.price_in / 1000
        + Decimal(tokens_out) * target.price_out / 1000
        + Decimal(images) * target.price_image
    )
    return total.quantize(_MICRO, rounding=ROUND_HALF_UP)


def record_success(
    *,
    account_id: int,
    job_id,
    operation: str,
    target: Target,
    model: str,
    tokens_in: int,
    tokens_out: int,
    latency_ms: int,
    cost_usd: Decimal,
    images: int = 0,
) -> AICall:
    call = AICall.unscoped.create(
        account_id=account_id,
        job_id=job_id,
        operation=operation[:60],
        provider=target.provider[:100],
        model=(model or target.model)[:150],
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        images=images,
        latency_ms=latency_ms,
        cost_usd=cost_usd,
        offline=target.offline,
    )
    usage = AIUsage(
        account_id=account_id,
        job_id=_uuid(job_id),
        operation=call.operation,
        provider=call.provider,
        model=call.model,
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        latency_ms=latency_ms,
        cost_usd=cost_usd,
        offline=target.offline,
        call_id=call.id,
        images=images,
    )
    for listener in list(_listeners):
        listener(usage)
    return call


def record_failure(
    *,
    account_id: int,
    job_id,
    operation: str,
    target: Target,
    error: AIProviderError,
    latency_ms: int,
) -> AICall:
    return AICall.unscoped.create(
        account_id=account_id,
        job_id=job_id,
        operation=operation[:60],
        provider=target.provider[:100],
        model=target.model[:150],
        latency_ms=latency_ms,
        offline=target.offline,
        status=AICall.Status.FAILED,
        error=error.message[:2000],
        error_kind=error.kind,
    )


def _uuid(value) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(str(value))
