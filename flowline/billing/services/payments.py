"""Payments: Stripe Checkout for credit packages and plans, bank transfers that staff
approve, and the one place a payment succeeds (credits granted or plan started, invoice
paid) -- under a row lock, so however often it is reached the effect happens once.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from flowline.billing.models import BillingCustomer, CreditPackage, Payment, Plan
from flowline.billing.providers import stripe as provider
from flowline.billing.public import subscription_start
from flowline.billing.services import credits, invoices
from flowline.core.errors import ApplicationError, ConflictError
from flowline.identity import public as identity

Status = Payment.Status
Method = Payment.Method


def _what(*, credit_package: CreditPackage | None, plan: Plan | None) -> dict:
    """Amount, currency, credits and description of what is being bought."""
    if (credit_package is None) == (plan is None):
        raise ApplicationError("Buy either a credit package or a plan.", code="invalid_purchase")
    if credit_package is not None:
        if not credit_package.is_active:
            raise ApplicationError("This package is not for sale.", code="package_inactive")
        return {
            "amount": credit_package.price,
            "currency": credit_package.currency,
            "credits": credit_package.credits,
            "credit_package": credit_package,
            "description": f"{credit_package.name} ({credit_package.credits} credits)",
        }
    if not plan.is_active or plan.price_monthly <= 0:
        raise ApplicationError("This plan cannot be bought.", code="plan_not_purchasable")
    return {
        "amount": plan.price_monthly,
        "currency": plan.currency,
        "credits": plan.monthly_credits,
        "plan": plan,
        "description": f"{plan.name} plan, monthly",
    }


def customer_id_for(account_id: int) -> str:
    """The account's Stripe customer, created at Stripe the first time it is needed."""
    known = BillingCustomer.unscoped.filter(account_id=account_id, provider="stripe").first()
    if known is not None:
        return known.customer_id
    contact = identity.billing_contact(account_id)
    customer_id = provider.customer_create(
        account_id=account_id,
        name=contact.name,
        email=contact.email,
    )
    try:
        with transaction.atomic():
            BillingCustomer.unscoped.create(
                account_id=account_id, provider="stripe", customer_id=customer_id
            )
    except IntegrityError:  # a concurrent request stored it first (same idempotency key)
        pass
    return BillingCustomer.unscoped.get(account_id=account_id, provider="stripe").customer_id


def payment_checkout_start(
    *,
    account_id: int,
    user_id: int | None,
    credit_package: CreditPackage | None = None,
    plan: Plan | None = None,
) -> tuple[Payment, provider.CheckoutSession]:
    """A pending payment and the Stripe Checkout Session that will pay it. Stripe's
    webhook (checkout.session.completed) completes the payment. No database transaction
    is held open while Stripe answers."""
    if not provider.is_configured():
        raise ApplicationError(
            "Card payments are not configured; pay by bank transfer.",
            code="payments_not_configured",
            status=503,
        )
    what = _what(credit_package=credit_package, plan=plan)
    customer_id = customer_id_for(account_id)
    payment = Payment.unscoped.create(
        account_id=account_id, method=Method.STRIPE, created_by_id=user_id, **what
    )
    line_item = provider.price_line_item(
        name=what["description"],
        amount=what["amount"],
        currency=what["currency"],
        price_id=credit_package.stripe_price_id if credit_package else "",
        monthly=plan is not None,
    )
    try:
        session = provider.checkout_session_create(
            customer_id=customer_id,
            mode="subscription" if plan is not None else "payment",
            line_item=line_item,
            account_id=account_id,
            payment_id=payment.id,
            idempotency_key=f"flowline-checkout-{payment.id}",
        )
    except ApplicationError as exc:
        payment.status = Status.FAILED
        payment.failure_reason = exc.message[:255]
        payment.save(update_fields=["status", "failure_reason", "updated_at"])
        raise
    payment.provider_reference = session.id
    payment.save(update_fields=["provider_reference", "updated_at"])
    return payment, session


@transaction.atomic
def payment_manual_create(
    *,
    account_id: int,
    user_id: int | None,
    transfer_reference: str,
    credit_package: CreditPackage | None = None,
    plan: Plan | None = None,
    note: str = "",
) -> Payment:
    """A bank transfer the account says it made: awaiting staff approval, with an open
    invoice to quote. Nothing is granted until staff approve it."""
    what = _what(credit_package=credit_package, plan=plan)
    if note:
        what["description"] = f"{what['description']} - {note}"[:255]
    payment = Payment.unscoped.create(
        account_id=account_id,
        method=Method.MANUAL,
        status=Status.AWAITING_APPROVAL,
        transfer_reference=transfer_reference,
        created_by_id=user_id,
        **what,
    )
    invoices.invoice_for_payment(payment=payment)
    return payment


def _locked(payment_id: int) -> Payment:
    return Payment.unscoped.select_for_update().get(id=payment_id)


def _succeed(payment: Payment, *, external_id: str = "") -> Payment:
    """Grant what was bought and mark the invoice paid; the caller holds the row lock."""
    payment.status = Status.SUCCEEDED
    payment.paid_at = timezone.now()
    payment.failure_reason = ""
    payment.save(update_fields=["status", "paid_at", "failure_reason", "updated_at"])
    if payment.plan_id is not None:
        subscription_start(
            account_id=payment.account_id, plan=payment.plan, external_id=external_id
        )
    elif payment.credits:
        credits.credits_grant(
            account_id=payment.account_id,
            amount=payment.credits,
            transaction_type=credits.Type.PURCHASE,
            description=payment.description,
            reference=f"payment:{payment.id}",
            user_id=payment.created_by_id,
        )
    invoices.invoice_mark_paid(payment=payment)
    return payment


@transaction.atomic
def payment_complete(
    *, payment_id: int, external_id: str = "", payment_intent: str = ""
) -> Payment:
    """The provider says the payment went through. Idempotent: a payment that already
    succeeded is returned unchanged; a refunded one is never paid again."""
    payment = _locked(payment_id)
    if payment_intent and not payment.provider_payment_intent:
        payment.provider_payment_intent = payment_intent
        payment.save(update_fields=["provider_payment_intent", "updated_at"])
    if payment.status == Status.SUCCEEDED:
        return payment
    if payment.status == Status.REFUNDED:
        raise ConflictError("This payment was refunded.", code="payment_refunded")
    return _succeed(payment, external_id=external_id)


def _credits_refunded(payment: Payment, refunded: Decimal) -> int:
    """The share of the payment's credits that `refunded` money paid for."""
    if not payment.amount or refunded >= payment.amount:
        return payment.credits
    return int(payment.credits * refunded / payment.amount)


@transaction.atomic
def payment_refund(*, payment_id: int, refunded_total: Decimal) -> Payment:
    """The provider refunded `refunded_total` of the payment so far (Stripe reports the
    running total). Takes back the credits that money bought, once: a repeated or older
    report changes nothing. Credits already spent cannot be taken back; the shortfall is
    logged on the ledger entry."""
    payment = _locked(payment_id)
    refunded_total = min(refunded_total, payment.amount)
    if payment.status != Status.SUCCEEDED or refunded_total <= payment.refunded_amount:
        return payment
    owed = _credits_refunded(payment, refunded_total) - _credits_refunded(
        payment, payment.refunded_amount
    )
    payment.refunded_amount = refunded_total
    if refunded_total >= payment.amount:
        payment.status = Status.REFUNDED
    payment.save(update_fields=["refunded_amount", "status", "updated_at"])
    credits.credits_take_back(
        account_id=payment.account_id,
        amount=owed,
        description=f"Refund of payment {payment.id} ({payment.currency} {refunded_total})",
        reference=f"refund:{payment.id}",
    )
    return payment


@transaction.atomic
def payment_fail(*, payment_id: int, reason: str) -> Payment:
    """The provider says the payment will not happen (expired or declined checkout)."""
    payment = _locked(payment_id)
    if payment.status in (Status.PENDING, Status.AWAITING_APPROVAL):
        payment.status = Status.FAILED
        payment.failure_reason = reason[:255]
        payment.save(update_fields=["status", "failure_reason", "updated_at"])
        invoices.invoice_void(payment=payment)
    return payment


@transaction.atomic
def payment_approve(*, payment_id: int, staff_user_id: int) -> tuple[Payment, bool]:
    """Staff confirm a bank transfer arrived: credits granted once, invoice paid.
    Returns (payment, changed); approving an approved payment changes nothing."""
    payment = _locked(payment_id)
    if payment.method != Method.MANUAL:
        raise ConflictError("Only manual payments are approved by staff.", code="not_manual")
    if payment.status == Status.SUCCEEDED:
        return payment, False
    if payment.status != Status.AWAITING_APPROVAL:
        raise ConflictError(
            f"A {payment.get_status_display().lower()} payment cannot be approved.",
            code="payment_not_awaiting_approval",
        )
    payment.approved_by_id = staff_user_id
    payment.approved_at = timezone.now()
    payment.save(update_fields=["approved_by", "approved_at", "updated_at"])
    return _succeed(payment), True


@transaction.atomic
def payment_reject(*, payment_id: int, staff_user_id: int, reason: str) -> tuple[Payment, bool]:
    """Staff say a bank transfer never arrived: the payment fails, its invoice is void."""
    payment = _locked(payment_id)
    if payment.method != Method.MANUAL:
        raise ConflictError("Only manual payments are rejected by staff.", code="not_manual")
    if payment.status == Status.FAILED:
        return payment, False
    if payment.status != Status.AWAITING_APPROVAL:
        raise ConflictError(
            f"A {payment.get_status_display().lower()} payment cannot be rejected.",
            code="payment_not_awaiting_approval",
        )
    payment.status = Status.FAILED
    payment.failure_reason = reason[:255] or "Rejected by staff."
    payment.approved_by_id = staff_user_id
    payment.approved_at = timezone.now()
    payment.save(
        update_fields=["status", "failure_reason", "approved_by", "approved_at", "updated_at"]
    )
    invoices.invoice_void(payment=payment)
    return payment, True
