"""The one place that changes credit balances.

Every change locks the account's balance row (SELECT ... FOR UPDATE; SQLite serialises
writers), changes the buckets and writes the ledger row in the same transaction, so the
balance always equals the sum of the ledger and concurrent work cannot overspend.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from flowline.billing.models import (
    CreditBalance,
    CreditCost,
    CreditHold,
    CreditTransaction,
    CreditUsage,
)
from flowline.core.errors import ApplicationError, PaymentRequiredError

Type = CreditTransaction.Type
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Estimate:
    operation_type: str
    quantity: float  # automation prices keywords per 100: a fraction of a unit
    credits: int
    unit: str


def _locked_balance(account_id: int) -> CreditBalance:
    CreditBalance.unscoped.get_or_create(account_id=account_id)
    return CreditBalance.unscoped.select_for_update().get(account_id=account_id)


def _record(
    balance: CreditBalance,
    *,
    transaction_type: str,
    granted: int,
    purchased: int,
    description: str = "",
    operation_type: str = "",
    reference: str = "",
    user_id: int | None = None,
) -> CreditTransaction:
    before = balance.total
    balance.granted += granted
    balance.purchased += purchased
    if balance.granted < 0 or balance.purchased < 0 or balance.held > balance.total:
        raise ApplicationError("The balance cannot go negative.", code="negative_balance")
    threshold = balance.low_balance_threshold
    if balance.total > threshold:
        balance.low_balance_notified = False
    elif before > threshold and not balance.low_balance_notified:
        # Crossed the threshold: tell once, until the balance is topped up above it again.
        balance.low_balance_notified = True
        account_id, total = balance.account_id, balance.total
        transaction.on_commit(lambda: _low_balance(account_id, total, threshold))
    balance.save(
        update_fields=[
            "granted",
            "purchased",
            "held",
            "granted_expires_at",
            "low_balance_notified",
            "updated_at",
        ]
    )
    return CreditTransaction.unscoped.create(
        account_id=balance.account_id,
        transaction_type=transaction_type,
        amount=granted + purchased,
        granted_change=granted,
        purchased_change=purchased,
        balance_after=balance.total,
        description=description[:255],
        operation_type=operation_type,
        reference=reference[:100],
        created_by_id=user_id,
    )


_low_balance_listeners: list = []


def register_low_balance_listener(listener) -> None:
    """`listener(account_id, balance, threshold)` runs once each time the balance drops
    to or below the account's threshold (notifications, webhooks)."""
    _low_balance_listeners.append(listener)


def _low_balance(account_id: int, balance: int, threshold: int) -> None:
    for listener in _low_balance_listeners:
        listener(account_id, balance, threshold)


def balance_settings_update(*, account_id: int, **fields) -> None:
    """Save the account's balance settings (the low-balance alert), creating its balance
    row on first use."""
    CreditBalance.objects.get_or_create(account_id=account_id)
    CreditBalance.objects.update(**fields)


def estimate(*, operation_type: str, quantity: float = 1) -> Estimate:
    """What `quantity` units of an operation cost (003/002 `estimate`)."""
    cost = CreditCost.objects.filter(operation_type=operation_type).first()
    if cost is None:
        raise ApplicationError(
            f"Unknown operation type {operation_type!r}.",
            code="unknown_operation",
            errors={"operation_type": [f"Unknown operation type {operation_type!r}."]},
        )
    credits = cost.credits * max(1, math.ceil(quantity))
    return Estimate(operation_type, quantity, credits, cost.unit)


@transaction.atomic
def credits_grant(
    *,
    account_id: int,
    amount: int,
    transaction_type: str = Type.SUBSCRIPTION,
    description: str = "",
    reference: str = "",
    expires_at: datetime | None = None,
    user_id: int | None = None,
) -> CreditTransaction:
    """Add credits. Plan and promotion credits are granted (spent first, may expire);
    purchases go to the purchased bucket and never expire."""
    if amount <= 0:
        raise ApplicationError("Grant a positive amount.", code="invalid_amount")
    balance = _locked_balance(account_id)
    if transaction_type in (Type.PURCHASE, Type.REFUND):
        granted, purchased = 0, amount
    else:
        granted, purchased = amount, 0
        if expires_at is not None:
            current = balance.granted_expires_at
            balance.granted_expires_at = max(current, expires_at) if current else expires_at
    return _record(
        balance,
        transaction_type=transaction_type,
        granted=granted,
        purchased=purchased,
        description=description,
        reference=reference,
        user_id=user_id,
    )


def _split(balance: CreditBalance, amount: int) -> tuple[int, int]:
    """Spend granted credits first, then purchased ones."""
    from_granted = min(balance.granted, amount)
    return -from_granted, -(amount - from_granted)


def _insufficient(operation_type: str, needed: int, available: int) -> PaymentRequiredError:
    return PaymentRequiredError(
        f"Not enough credits: {operation_type} needs {needed}, {available} available.",
        code="insufficient_credits",
        extra={"credits_needed": needed, "credits_available": available},
    )


@transaction.atomic
def credits_hold(*, account_id: int, operation_type: str, amount: int, job_id=None) -> CreditHold:
    """Set credits aside for work about to be queued; 402 when they are not there."""
    balance = _locked_balance(account_id)
    if balance.available < amount:
        raise _insufficient(operation_type, amount, balance.available)
    balance.held += amount
    balance.save(update_fields=["held", "updated_at"])
    return CreditHold.unscoped.create(
        account_id=account_id, operation_type=operation_type, amount=amount, job_id=job_id
    )


@transaction.atomic
def hold_capture(
    *,
    hold_id: int,
    amount: int | None = None,
    usage: dict | None = None,
    user_id: int | None = None,
) -> CreditTransaction | None:
    """Charge a hold (at most its amount) when the work succeeded; idempotent."""
    hold = CreditHold.unscoped.select_for_update().get(id=hold_id)
    if hold.status != CreditHold.Status.HELD:
        return None
    balance = _locked_balance(hold.account_id)
    charge = hold.amount if amount is None else min(amount, hold.amount)
    balance.held -= hold.amount
    granted, purchased = _split(balance, charge)
    entry = _record(
        balance,
        transaction_type=Type.DEDUCTION,
        granted=granted,
        purchased=purchased,
        description=f"{hold.operation_type}",
        operation_type=hold.operation_type,
        reference=str(hold.job_id or hold.id),
        user_id=user_id,
    )
    hold.status = CreditHold.Status.CAPTURED
    hold.settled_at = timezone.now()
    hold.save(update_fields=["status", "settled_at"])
    _usage(entry, hold.operation_type, charge, hold.job_id, usage or {})
    return entry


@transaction.atomic
def hold_release(*, hold_id: int) -> bool:
    """Give held credits back (the work failed or was cancelled); idempotent."""
    hold = CreditHold.unscoped.select_for_update().get(id=hold_id)
    if hold.status != CreditHold.Status.HELD:
        return False
    balance = _locked_balance(hold.account_id)
    balance.held -= hold.amount
    balance.save(update_fields=["held", "updated_at"])
    hold.status = CreditHold.Status.RELEASED
    hold.settled_at = timezone.now()
    hold.save(update_fields=["status", "settled_at"])
    return True


@transaction.atomic
def credits_charge(
    *,
    account_id: int,
    operation_type: str,
    amount: int,
    reference: str = "",
    usage: dict | None = None,
    user_id: int | None = None,
) -> CreditTransaction:
    """Charge at once for work done synchronously; 402 when the credits are not there."""
    balance = _locked_balance(account_id)
    if balance.available < amount:
        raise _insufficient(operation_type, amount, balance.available)
    granted, purchased = _split(balance, amount)
    entry = _record(
        balance,
        transaction_type=Type.DEDUCTION,
        granted=granted,
        purchased=purchased,
        description=operation_type,
        operation_type=operation_type,
        reference=reference,
        user_id=user_id,
    )
    _usage(entry, operation_type, amount, None, usage or {})
    return entry


@transaction.atomic
def credits_adjust(
    *, account_id: int, amount: int, reason: str, user_id: int | None
) -> CreditTransaction:
    """Staff correction with a reason; removing takes granted credits first."""
    if not reason.strip():
        raise ApplicationError("Say why.", code="reason_required", errors={"reason": ["Required."]})
    balance = _locked_balance(account_id)
    if amount >= 0:
        granted, purchased = 0, amount
    else:
        if balance.available < -amount:
            raise ApplicationError(
                "Cannot remove more than the available credits.", code="negative_balance"
            )
        granted, purchased = _split(balance, -amount)
    return _record(
        balance,
        transaction_type=Type.ADJUSTMENT,
        granted=granted,
        purchased=purchased,
        description=reason,
        user_id=user_id,
    )


@transaction.atomic
def credits_take_back(*, account_id: int, amount: int, description: str, reference: str) -> int:
    """Remove up to `amount` credits for money given back (a refund): purchased credits
    first, never below what running jobs hold. Returns how many were removed."""
    balance = _locked_balance(account_id)
    removable = max(0, min(amount, balance.available))
    if removable <= 0:
        if amount > 0:
            logger.warning("Refund on account %s: %s credits already spent", account_id, amount)
        return 0
    purchased = min(removable, balance.purchased)
    shortfall = amount - removable
    note = f"{description}; {shortfall} credits were already spent" if shortfall else description
    _record(
        balance,
        transaction_type=Type.ADJUSTMENT,
        granted=-(removable - purchased),
        purchased=-purchased,
        description=note,
        reference=reference,
    )
    return removable


@transaction.atomic
def granted_expire(*, account_id: int, now: datetime | None = None) -> CreditTransaction | None:
    """Expire the granted bucket once its period has ended (purchased credits stay)."""
    now = now or timezone.now()
    balance = _locked_balance(account_id)
    if not balance.granted or not balance.granted_expires_at or balance.granted_expires_at > now:
        return None
    removable = min(balance.granted, balance.available)
    balance.granted_expires_at = None
    if removable <= 0:
        balance.save(update_fields=["granted_expires_at", "updated_at"])
        return None
    return _record(
        balance,
        transaction_type=Type.EXPIRY,
        granted=-removable,
        purchased=0,
        description="Granted credits expired at the end of their period",
    )


def _usage(
    entry: CreditTransaction, operation_type: str, credits: int, job_id, usage: dict
) -> None:
    CreditUsage.unscoped.create(
        account_id=entry.account_id,
        operation_type=operation_type,
        credits_used=credits,
        cost_usd=usage.get("cost_usd", 0),
        tokens_in=usage.get("tokens_in", 0),
        tokens_out=usage.get("tokens_out", 0),
        model=usage.get("model", "")[:100],
        job_id=job_id,
        transaction=entry,
    )


def available_credits(*, account_id: int) -> int:
    """What the account can spend now: its balance less what running work holds."""
    balance = CreditBalance.unscoped.filter(account_id=account_id).first()
    return balance.available if balance else 0
