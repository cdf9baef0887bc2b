"""Refunds made at Stripe (dashboard or API) take back the credits the money bought,
once, by difference from the running total Stripe reports."""

import pytest

from flowline.billing.models import CreditPackage, CreditTransaction, Payment
from flowline.billing.testing.ledger import balance_of, ledger_count
from flowline.sandbox.stripe.webhooks import event, signed_webhook

pytestmark = pytest.mark.django_db
API = "/api/v1/billing"
WEBHOOK = f"{API}/webhooks/stripe/"


def _deliver(client, evt):
    body, signature = signed_webhook(evt)
    response = client.post(
        WEBHOOK, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )
    assert response.status_code == 200, response.content
    return response.json()["data"]["result"]


def _paid_purchase(owner, fake_stripe, api_client) -> tuple[Payment, str]:
    package = CreditPackage.objects.get(slug="credits-500")
    data = owner.client.post(
        f"{API}/credit-packages/{package.id}/purchase/", {}, format="json"
    ).json()["data"]
    completed = fake_stripe.complete_session(data["session_id"])
    assert _deliver(api_client, event("checkout.session.completed", completed)) == (
        "payment_succeeded"
    )
    return Payment.unscoped.get(id=data["payment_id"]), data["session_id"]


def test_a_full_refund_takes_back_the_purchased_credits_once(owner, fake_stripe, api_client):
    # given: 100 plan credits and 500 bought for 10.00
    payment, session_id = _paid_purchase(owner, fake_stripe, api_client)
    assert balance_of(owner.account_id) == 600

    # when: the whole charge is refunded at Stripe
    refunded = event("charge.refunded", fake_stripe.refund(session_id))
    result = _deliver(api_client, refunded)

    # then: the payment is refunded and its 500 credits are gone, with a ledger entry
    assert result == "payment_refunded"
    payment.refresh_from_db()
    assert (payment.status, str(payment.refunded_amount)) == ("refunded", "10.00")
    assert balance_of(owner.account_id) == 100
    entry = CreditTransaction.unscoped.filter(account_id=owner.account_id).first()
    assert (entry.amount, entry.reference) == (-500, f"refund:{payment.id}")

    # when: Stripe delivers the same event again, and then a new event with the same total
    entries = ledger_count(owner.account_id)
    assert _deliver(api_client, refunded) == "duplicate"
    _deliver(
        api_client, event("charge.refunded", fake_stripe.charges[payment.provider_payment_intent])
    )

    # then: nothing more is taken
    assert balance_of(owner.account_id) == 100
    assert ledger_count(owner.account_id) == entries


def test_partial_refunds_take_back_their_share(owner, fake_stripe, api_client):
    payment, session_id = _paid_purchase(owner, fake_stripe, api_client)

    # when: 4.00 of 10.00 is refunded, then the rest
    assert _deliver(api_client, event("charge.refunded", fake_stripe.refund(session_id, 400))) == (
        "partially_refunded"
    )

    # then: 200 of the 500 credits go, the payment still counts as paid
    assert balance_of(owner.account_id) == 400
    payment.refresh_from_db()
    assert (payment.status, str(payment.refunded_amount)) == ("succeeded", "4.00")

    assert _deliver(api_client, event("charge.refunded", fake_stripe.refund(session_id))) == (
        "payment_refunded"
    )
    assert balance_of(owner.account_id) == 100


def test_credits_already_spent_are_not_taken_below_zero(owner, fake_stripe, api_client):
    from flowline.billing.services import credits

    # given: the account spent 550 of its 600 credits
    _, session_id = _paid_purchase(owner, fake_stripe, api_client)
    credits.credits_charge(account_id=owner.account_id, operation_type="content", amount=550)

    # when: the purchase is refunded
    _deliver(api_client, event("charge.refunded", fake_stripe.refund(session_id)))

    # then: the 50 left are taken, the balance stays at zero and says what was spent
    assert balance_of(owner.account_id) == 0
    entry = CreditTransaction.unscoped.filter(account_id=owner.account_id).first()
    assert entry.amount == -50 and "450 credits were already spent" in entry.description


def test_a_refund_of_an_unknown_charge_is_acknowledged(fake_stripe, api_client):
    charge = {
        "id": "ch_x",
        "object": "charge",
        "payment_intent": "pi_unknown",
        "amount": 1000,
        "amount_refunded": 1000,
        "currency": "usd",
        "refunded": True,
    }
    assert _deliver(api_client, event("charge.refunded", charge)) == "unknown_payment"
