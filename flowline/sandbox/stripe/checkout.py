"""The sandbox's Stripe Checkout: paying a session, and the signed webhooks that follow."""

from __future__ import annotations

import json

from django.conf import settings

from flowline.core.outbound.client import Client
from flowline.sandbox.stripe.fake_stripe import FakeStripe
from flowline.sandbox.stripe.webhooks import event, signature_header

# Stripe's test cards: this one pays, 4000 0000 0000 0002 is declined.
PAYING_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"


class CardDeclined(Exception):
    """The card was declined: Checkout says so on its page and sends no event."""


def pay(fake: FakeStripe, session_id: str, *, card: str) -> dict:
    """Pay an open session with `card` (digits): the session as Stripe then has it."""
    with fake.lock:
        session = fake.sessions[session_id]
        if session["status"] != "open":
            return dict(session)
        if card.replace(" ", "") != PAYING_CARD:
            raise CardDeclined("Your card was declined.")
        return fake.complete_session(session_id)


def expire(fake: FakeStripe, session_id: str) -> dict:
    """The payer gave up: the session expires (Stripe sends checkout.session.expired)."""
    with fake.lock:
        session = fake.sessions[session_id]
        if session["status"] == "open":
            session["status"] = "expired"
        return dict(session)


def send_webhook(event_type: str, session: dict) -> int:
    """Deliver `event_type` about `session` to Flowline's Stripe webhook, signed with
    STRIPE_WEBHOOK_SECRET as Stripe signs it, over HTTP; the answer's status."""
    origin = settings.FLOWLINE_SANDBOX_URL.removesuffix("/sandbox")
    payload = json.dumps(
        event(event_type, {k: v for k, v in session.items() if k != "line_items_sent"})
    )
    headers = {
        "Content-Type": "application/json",
        "Stripe-Signature": signature_header(payload, secret=settings.STRIPE_WEBHOOK_SECRET),
    }
    with Client(service="Sandbox Stripe webhook", timeout=20) as client:
        answer = client.request(
            "POST",
            f"{origin}/api/v1/billing/webhooks/stripe/",
            content=payload,
            headers=headers,
            check=False,
        )
    return answer.status_code
