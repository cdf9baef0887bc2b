"""Stripe's webhook events: verified, then applied once.

The event id is stored (ProcessedWebhookEvent) in the same transaction as the event's
effect. A replayed delivery finds it and changes nothing; a concurrent duplicate waits on
the unique index and then finds it; a failed effect rolls the id back with it, so
Stripe's retry runs the effect again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction

from flowline.billing.models import Payment, ProcessedWebhookEvent, Subscription
from flowline.billing.providers import stripe as provider
from flowline.billing.services import invoices, payments
from flowline.core.errors import ApplicationError

logger = logging.getLogger(__name__)
PROVIDER = "stripe"


def stripe_event_receive(*, payload: bytes, signature: str | None) -> dict:
    """Verify one delivery (400 when the signature or timestamp is wrong) and apply it
    unless it was applied before. Returns what happened, for the response."""
    event = provider.event_construct(payload=payload, signature=signature)
    event_id, event_type = event.get("id"), event.get("type")
    obj = (event.get("data") or {}).get("object")
    if not (isinstance(event_id, str) and isinstance(event_type, str) and isinstance(obj, dict)):
        raise ApplicationError("Not a Stripe event.", code="invalid_event")
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProcessedWebhookEvent.objects.create(
                    provider=PROVIDER, event_id=event_id, event_type=event_type
                )
        except IntegrityError:
            return {"event_id": event_id, "type": event_type, "result": "duplicate"}
        handler = _HANDLERS.get(event_type)
        result = handler(obj) if handler else "ignored"
    return {"event_id": event_id, "type": event_type, "result": result}


def _payment_of(session: dict) -> Payment | None:
    """The payment a Checkout Session pays: by session id, else by the ids we put in its
    metadata (the session may have been created just before a crash stored its id)."""
    payment = Payment.unscoped.filter(provider_reference=session["id"]).first()
    if payment is not None:
        return payment
    metadata = session.get("metadata") or {}
    payment_id, account_id = metadata.get("payment_id"), metadata.get("account_id")
    if not (str(payment_id).isdigit() and str(account_id).isdigit()):
        return None
    payment = Payment.unscoped.filter(
        id=int(payment_id), account_id=int(account_id), method=Payment.Method.STRIPE
    ).first()
    if payment is not None and not payment.provider_reference:
        payment.provider_reference = session["id"]
        payment.save(update_fields=["provider_reference", "updated_at"])
    return payment


def _session_completed(session: dict) -> str:
    payment = _payment_of(session)
    if payment is None:
        logger.warning("Stripe checkout session %s matches no payment", session.get("id"))
        return "unknown_payment"
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        return "awaiting_payment"  # async methods: checkout.session.async_payment_succeeded
    payments.payment_complete(
        payment_id=payment.id,
        external_id=session.get("subscription") or "",
        payment_intent=session.get("payment_intent") or "",
    )
    return "payment_succeeded"


def _session_failed(session: dict) -> str:
    payment = _payment_of(session)
    if payment is None:
        return "unknown_payment"
    payments.payment_fail(payment_id=payment.id, reason=f"Checkout {session.get('status')}")
    return "payment_failed"


def _subscription_id(invoice: dict) -> str | None:
    """Where the invoice names its subscription (older and newer API versions)."""
    if invoice.get("subscription"):
        return invoice["subscription"]
    details = ((invoice.get("parent") or {}).get("subscription_details")) or {}
    return details.get("subscription")


def _invoice_paid(stripe_invoice: dict) -> str:
    """A renewal was paid at Stripe: record the payment and its paid invoice. The period's
    credits come from the renewal job, keyed by period, so they are granted once."""
    if stripe_invoice.get("billing_reason") == "subscription_create":
        return "ignored"  # the first period is paid through checkout.session.completed
    subscription = Subscription.unscoped.filter(
        external_id=_subscription_id(stripe_invoice) or "-"
    ).first()
    if subscription is None:
        return "unknown_subscription"
    if Payment.unscoped.filter(provider_reference=stripe_invoice["id"]).exists():
        return "duplicate"
    currency = stripe_invoice.get("currency") or subscription.plan.currency
    payment = Payment.unscoped.create(
        account_id=subscription.account_id,
        method=Payment.Method.STRIPE,
        status=Payment.Status.SUCCEEDED,
        amount=provider.from_minor_units(int(stripe_invoice.get("amount_paid") or 0), currency),
        currency=currency.upper(),
        plan=subscription.plan,
        provider_reference=stripe_invoice["id"],
        provider_payment_intent=stripe_invoice.get("payment_intent") or "",
        description=f"{subscription.plan.name} plan, renewal",
    )
    invoices.invoice_mark_paid(payment=payment)
    if subscription.status == Subscription.Status.PAST_DUE:
        subscription.status = Subscription.Status.ACTIVE
        subscription.save(update_fields=["status", "updated_at"])
    return "renewal_recorded"


def _invoice_payment_failed(stripe_invoice: dict) -> str:
    updated = Subscription.unscoped.filter(
        external_id=_subscription_id(stripe_invoice) or "-", status=Subscription.Status.ACTIVE
    ).update(status=Subscription.Status.PAST_DUE)
    return "subscription_past_due" if updated else "ignored"


def _subscription_deleted(stripe_subscription: dict) -> str:
    updated = (
        Subscription.unscoped.filter(external_id=stripe_subscription["id"])
        .exclude(status=Subscription.Status.CANCELED)
        .update(status=Subscription.Status.CANCELED)
    )
    return "subscription_canceled" if updated else "ignored"


def _charge_refunded(charge: dict) -> str:
    """Money went back to the customer (from Stripe's dashboard or API): take back what it
    bought. `amount_refunded` is the running total, so each event is applied by difference."""
    intent = charge.get("payment_intent") or ""
    payment = Payment.unscoped.filter(provider_payment_intent=intent).first() if intent else None
    if payment is None and charge.get("invoice"):
        payment = Payment.unscoped.filter(provider_reference=charge["invoice"]).first()
    if payment is None:
        logger.warning("Stripe refunded charge %s matches no payment", charge.get("id"))
        return "unknown_payment"
    refunded = provider.from_minor_units(
        int(charge.get("amount_refunded") or 0), charge.get("currency") or payment.currency
    )
    payment = payments.payment_refund(payment_id=payment.id, refunded_total=refunded)
    return "payment_refunded" if payment.status == Payment.Status.REFUNDED else "partially_refunded"


_HANDLERS: dict[str, Callable[[dict], str]] = {
    "checkout.session.completed": _session_completed,
    "checkout.session.async_payment_succeeded": _session_completed,
    "checkout.session.async_payment_failed": _session_failed,
    "checkout.session.expired": _session_failed,
    "invoice.paid": _invoice_paid,
    "invoice.payment_failed": _invoice_payment_failed,
    "customer.subscription.deleted": _subscription_deleted,
    "charge.refunded": _charge_refunded,
}
