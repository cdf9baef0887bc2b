"""Stripe, through its official SDK: customers, Checkout Sessions, payment methods and
signed webhook events. Everything billing asks of Stripe goes through this module.

Each call has a timeout and bounded retries; POSTs carry an idempotency key so a retry
(the SDK's or ours) does its work once. Stripe errors become one `ApplicationError`
(502 `payment_provider_error`, 503 when Stripe is not configured or unreachable). The SDK
sends through the guarded outbound session, like every other outbound call.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import stripe
from django.conf import settings

from flowline.core import outbound
from flowline.core.errors import ApplicationError

logger = logging.getLogger(__name__)

# Currencies Stripe counts in whole units (no cents).
_ZERO_DECIMAL = {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx",
                 "vnd", "vuv", "xaf", "xof", "xpf"}  # fmt: skip


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str


@dataclass(frozen=True)
class Card:
    provider_id: str
    brand: str
    last4: str
    exp_month: int | None
    exp_year: int | None


class SignatureError(ApplicationError):
    """The webhook's Stripe-Signature is missing, wrong or too old."""

    status_code = 400
    default_code = "invalid_signature"


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def minor_units(amount: Decimal, currency: str) -> int:
    """`amount` in the currency's smallest unit, as Stripe counts it (cents)."""
    if currency.lower() in _ZERO_DECIMAL:
        return int(amount)
    return int((amount * 100).to_integral_value())


def from_minor_units(amount: int, currency: str) -> Decimal:
    """Stripe's integer amount back in the currency's unit."""
    if currency.lower() in _ZERO_DECIMAL:
        return Decimal(amount)
    return (Decimal(amount) / 100).quantize(Decimal("0.01"))


@cache
def _session():
    # One guarded session for the process: the SDK reuses its connections.
    return outbound.guarded_session()


def client() -> stripe.StripeClient:
    """A client for the configured account; 503 when there is none."""
    if not is_configured():
        raise ApplicationError(
            "Card payments are not configured.", code="payments_not_configured", status=503
        )
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT, session=_session()),
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
    )


def _provider_error(exc: stripe.StripeError) -> ApplicationError:
    logger.warning("Stripe call failed: %s (%s)", exc.user_message or exc, exc.code)
    if isinstance(exc, stripe.APIConnectionError):
        return ApplicationError(
            "The payment provider cannot be reached; try again.",
            code="payment_provider_unavailable",
            status=503,
        )
    if isinstance(exc, stripe.CardError):
        return ApplicationError(
            exc.user_message or "The card was declined.", code="card_declined", status=402
        )
    if isinstance(exc, stripe.InvalidRequestError) and exc.http_status == 404:
        return ApplicationError(
            "The payment provider does not know this object.", code="provider_object_not_found"
        )
    return ApplicationError(
        "The payment provider refused the request.", code="payment_provider_error", status=502
    )


def customer_create(*, account_id: int, name: str, email: str) -> str:
    """Create the account's customer at Stripe; returns its id (cus_...)."""
    try:
        customer = client().v1.customers.create(
            params={"name": name, "email": email, "metadata": {"account_id": str(account_id)}},
            options={"idempotency_key": f"flowline-customer-{account_id}"},
        )
    except stripe.StripeError as exc:
        raise _provider_error(exc) from exc
    return customer.id


def checkout_session_create(
    *,
    customer_id: str,
    mode: str,
    line_item: dict,
    account_id: int,
    payment_id: int,
    idempotency_key: str,
) -> CheckoutSession:
    """A hosted Checkout page (mode "payment" or "subscription") for one line item. The
    session carries the account and payment ids back in the webhook."""
    metadata = {"account_id": str(account_id), "payment_id": str(payment_id)}
    params = {
        "mode": mode,
        "customer": customer_id,
        "client_reference_id": str(payment_id),
        "line_items": [line_item],
        "metadata": metadata,
        "success_url": settings.BILLING_CHECKOUT_SUCCESS_URL,
        "cancel_url": settings.BILLING_CHECKOUT_CANCEL_URL,
    }
    if mode == "subscription":
        params["subscription_data"] = {"metadata": metadata}
    else:
        params["payment_intent_data"] = {"metadata": metadata}
    try:
        session = client().v1.checkout.sessions.create(
            params=params, options={"idempotency_key": idempotency_key}
        )
    except stripe.StripeError as exc:
        raise _provider_error(exc) from exc
    return CheckoutSession(id=session.id, url=session.url)


def price_line_item(
    *,
    name: str,
    amount: Decimal,
    currency: str,
    price_id: str = "",
    monthly: bool = False,
) -> dict:
    """One line item: a Stripe Price when one is configured, else priced inline."""
    if price_id:
        return {"price": price_id, "quantity": 1}
    price_data = {
        "currency": currency.lower(),
        "unit_amount": minor_units(amount, currency),
        "product_data": {"name": name},
    }
    if monthly:
        price_data["recurring"] = {"interval": "month"}
    return {"price_data": price_data, "quantity": 1}


def _card(method: stripe.PaymentMethod) -> Card:
    card = method.to_dict().get("card") or {}
    return Card(
        provider_id=method.id,
        brand=card.get("brand", "") or "",
        last4=card.get("last4", "") or "",
        exp_month=card.get("exp_month"),
        exp_year=card.get("exp_year"),
    )


def payment_methods_list(*, customer_id: str) -> list[Card]:
    """The cards saved for a customer at Stripe."""
    try:
        page = client().v1.payment_methods.list(
            params={"customer": customer_id, "type": "card", "limit": 100}
        )
    except stripe.StripeError as exc:
        raise _provider_error(exc) from exc
    return [_card(method) for method in page.data]


def payment_method_attach(*, payment_method_id: str, customer_id: str) -> Card:
    """Attach a card collected by Stripe.js (pm_...) to the customer; returns its details."""
    try:
        method = client().v1.payment_methods.attach(
            payment_method_id,
            params={"customer": customer_id},
            options={"idempotency_key": f"flowline-attach-{customer_id}-{payment_method_id}"},
        )
    except stripe.StripeError as exc:
        raise _provider_error(exc) from exc
    return _card(method)


def payment_method_detach(*, payment_method_id: str) -> None:
    """Remove a card from its customer at Stripe."""
    try:
        client().v1.payment_methods.detach(payment_method_id)
    except stripe.StripeError as exc:
        raise _provider_error(exc) from exc


def event_construct(*, payload: bytes, signature: str | None) -> dict:
    """Verify a webhook delivery (HMAC-SHA256 over "<t>.<payload>" with the endpoint
    secret, constant-time compare, timestamp within the tolerance) and return the event
    as a plain dict. Anything wrong is a 400; nothing is trusted before this passes."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise ApplicationError(
            "Stripe webhooks are not configured.", code="webhooks_not_configured", status=503
        )
    if not signature:
        raise SignatureError("Missing Stripe-Signature header.")
    try:
        event = stripe.Webhook.construct_event(
            payload, signature, secret, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE
        )
    except stripe.SignatureVerificationError as exc:
        raise SignatureError("The Stripe signature does not verify.") from exc
    except (ValueError, KeyError, IndexError) as exc:
        raise SignatureError("The event or its signature header is malformed.") from exc
    return event.to_dict()
