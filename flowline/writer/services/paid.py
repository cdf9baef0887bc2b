"""Paying for AI work done inside a request (the legacy synchronous image action)."""

from __future__ import annotations

from contextlib import contextmanager

from flowline.billing import public as billing
from flowline.billing.services import credits


@contextmanager
def paid(*, account_id: int, operation_type: str, quantity: int, user_id: int | None = None):
    """Hold the credits first (402 when missing), charge them if the block succeeds and
    give them back if it raises. Yields the credits the work costs."""
    cost = billing.estimate(operation_type=operation_type, quantity=quantity)
    hold = credits.credits_hold(
        account_id=account_id, operation_type=operation_type, amount=cost.credits
    )
    try:
        yield cost.credits
    except BaseException:
        credits.hold_release(hold_id=hold.id)
        raise
    credits.hold_capture(hold_id=hold.id, user_id=user_id)
