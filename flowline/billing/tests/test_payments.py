"""Buying credits and plans through Stripe Checkout, end to end over HTTP: the real SDK
talks to a fake Stripe on loopback, and Stripe's signed webhook completes the payment."""

import pytest

from flowline.billing.models import CreditPackage, Invoice, Payment, Subscription
from flowline.billing.testing.ledger import balance_of, ledger_count
from flowline.core.roles import Role
from flowline.sandbox.stripe.webhooks import event, signed_webhook

pytestmark = pytest.mark.django_db
API = "/api/v1/billing"
WEBHOOK = f"{API}/webhooks/stripe/"


def _package(slug="credits-500") -> CreditPackage:
    return CreditPackage.objects.get(slug=slug)


def _deliver(client, evt, **signing):
    body, signature = signed_webhook(evt, **signing)
    return client.post(
        WEBHOOK, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


def _buy(member, package=None, **headers):
    package = package or _package()
    return member.client.post(
        f"{API}/credit-packages/{package.id}/purchase/", {}, format="json", **headers
    )


def test_buying_a_package_grants_its_credits_when_stripe_confirms(owner, fake_stripe, api_client):
    # given: the free plan's 100 credits
    assert balance_of(owner.account_id) == 100

    # when: the owner starts a purchase
    response = _buy(owner)

    # then: a Checkout Session was created at Stripe for this account and payment
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    (customer,) = fake_stripe.customers.values()
    assert customer["metadata"] == {"account_id": str(owner.account_id)}
    (sent,) = fake_stripe.requests_to("POST", "/v1/checkout/sessions")
    assert sent.params["mode"] == "payment"
    assert sent.params["customer"] == customer["id"]
    assert sent.params["client_reference_id"] == str(data["payment_id"])
    assert sent.params["metadata"] == {
        "account_id": str(owner.account_id),
        "payment_id": str(data["payment_id"]),
    }
    price = sent.params["line_items"][0]["price_data"]
    assert (price["currency"], price["unit_amount"]) == ("usd", "1000")
    assert sent.headers["idempotency-key"] == f"flowline-checkout-{data['payment_id']}"
    assert data["session_id"] in fake_stripe.sessions
    assert data["checkout_url"] == fake_stripe.sessions[data["session_id"]]["url"]
    payment = Payment.unscoped.get(id=data["payment_id"])
    assert (payment.status, payment.provider_reference) == ("pending", data["session_id"])
    assert balance_of(owner.account_id) == 100

    # when: Stripe reports the session paid
    completed = event(
        "checkout.session.completed", fake_stripe.complete_session(data["session_id"])
    )
    response = _deliver(api_client, completed)

    # then: payment succeeded, 500 purchased credits, a paid invoice
    assert response.status_code == 200, response.content
    assert response.json()["data"]["result"] == "payment_succeeded"
    payment.refresh_from_db()
    assert payment.status == "succeeded" and payment.paid_at is not None
    assert balance_of(owner.account_id) == 600
    invoice = Invoice.unscoped.get(payment=payment)
    assert (invoice.status, str(invoice.total)) == ("paid", "10.00")
    listed = owner.client.get(f"{API}/payments/").json()["results"]
    assert listed[0]["status"] == "succeeded" and listed[0]["invoice_number"] == invoice.number
    transactions = owner.client.get(f"{API}/credits/transactions/").json()["results"]
    assert transactions[0]["transaction_type"] == "purchase"
    assert transactions[0]["reference"] == f"payment:{payment.id}"


def test_a_replayed_webhook_answers_200_and_changes_nothing(owner, fake_stripe, api_client):
    # given: a purchase completed by one delivery
    data = _buy(owner).json()["data"]
    completed = event(
        "checkout.session.completed", fake_stripe.complete_session(data["session_id"])
    )
    assert _deliver(api_client, completed).status_code == 200
    before = (
        balance_of(owner.account_id),
        ledger_count(owner.account_id),
        Invoice.unscoped.count(),
    )

    # when: Stripe delivers the same event again
    response = _deliver(api_client, completed)

    # then
    assert response.status_code == 200
    assert response.json()["data"]["result"] == "duplicate"
    after = (balance_of(owner.account_id), ledger_count(owner.account_id), Invoice.unscoped.count())
    assert after == before == (600, 2, 1)


def test_another_event_about_a_paid_session_does_not_pay_twice(owner, fake_stripe, api_client):
    # given
    data = _buy(owner).json()["data"]
    session = fake_stripe.complete_session(data["session_id"])
    _deliver(api_client, event("checkout.session.completed", session))

    # when: a different event names the same session
    response = _deliver(api_client, event("checkout.session.async_payment_succeeded", session))

    # then
    assert response.status_code == 200
    assert balance_of(owner.account_id) == 600
    assert ledger_count(owner.account_id) == 2


@pytest.mark.parametrize(
    "signing",
    [
        pytest.param({"secret": "whsec_forged"}, id="forged-signature"),
        pytest.param({"timestamp": 1_000_000_000}, id="stale-timestamp"),
    ],
)
def test_a_bad_signature_is_400_and_changes_nothing(
    owner, fake_stripe, api_client, signing, settings
):
    # given
    data = _buy(owner).json()["data"]
    completed = event(
        "checkout.session.completed", fake_stripe.complete_session(data["session_id"])
    )

    # when
    response = _deliver(api_client, completed, **signing)

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_signature"
    assert Payment.unscoped.get(id=data["payment_id"]).status == "pending"
    assert balance_of(owner.account_id) == 100
    assert ledger_count(owner.account_id) == 1


def test_a_body_changed_after_signing_or_no_signature_is_400(owner, fake_stripe, api_client):
    # given
    data = _buy(owner).json()["data"]
    body, signature = signed_webhook(
        event("checkout.session.completed", fake_stripe.complete_session(data["session_id"]))
    )
    tampered = body.replace('"amount_total": 1000', '"amount_total": 1')
    assert tampered != body

    # when
    changed = api_client.post(
        WEBHOOK, tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )
    unsigned = api_client.post(WEBHOOK, body, content_type="application/json")

    # then
    assert (changed.status_code, unsigned.status_code) == (400, 400)
    assert balance_of(owner.account_id) == 100


def test_an_expired_checkout_fails_the_payment(owner, fake_stripe, api_client):
    # given
    data = _buy(owner).json()["data"]
    expired = dict(fake_stripe.sessions[data["session_id"]], status="expired")

    # when
    response = _deliver(api_client, event("checkout.session.expired", expired))

    # then
    assert response.status_code == 200
    assert Payment.unscoped.get(id=data["payment_id"]).status == "failed"
    assert balance_of(owner.account_id) == 100


def test_the_stripe_customer_is_created_once_per_account(owner, fake_stripe):
    # when
    _buy(owner)
    _buy(owner, _package("credits-2500"))

    # then
    assert len(fake_stripe.requests_to("POST", "/v1/customers")) == 1
    assert len(fake_stripe.requests_to("POST", "/v1/checkout/sessions")) == 2


def test_a_purchase_replayed_with_its_idempotency_key_opens_one_checkout(owner, fake_stripe):
    # when
    first = _buy(owner, HTTP_IDEMPOTENCY_KEY="buy-1")
    second = _buy(owner, HTTP_IDEMPOTENCY_KEY="buy-1")

    # then
    assert first.json()["data"] == second.json()["data"]
    assert len(fake_stripe.requests_to("POST", "/v1/checkout/sessions")) == 1
    assert Payment.unscoped.filter(account_id=owner.account_id).count() == 1


def test_stripe_refusing_the_checkout_is_502_and_the_payment_failed(owner, fake_stripe):
    # given
    fake_stripe.fail_next(500)  # the customer creation
    # when
    response = _buy(owner)
    # then
    assert response.status_code == 502
    assert response.json()["code"] == "payment_provider_error"
    assert balance_of(owner.account_id) == 100

    # given: Stripe fails the session itself
    fake_stripe.reset()
    _buy(owner)  # creates the customer
    fake_stripe.fail_next(500)
    # when
    response = _buy(owner)
    # then
    assert response.status_code == 502
    assert Payment.unscoped.filter(account_id=owner.account_id, status="failed").count() == 1


def test_without_stripe_configured_card_purchases_are_503(owner, settings):
    # given
    settings.STRIPE_SECRET_KEY = ""

    # when
    response = _buy(owner)
    methods = owner.client.get(f"{API}/payments/available_methods/").json()["data"]

    # then
    assert response.status_code == 503
    assert response.json()["code"] == "payments_not_configured"
    assert {m["method"]: m["enabled"] for m in methods} == {"stripe": False, "manual": True}


def test_members_see_packages_but_only_admins_buy(owner, member_factory, fake_stripe):
    # given
    viewer = member_factory(owner, Role.VIEWER)
    admin = member_factory(owner, Role.ADMIN)

    # when
    listed = viewer.client.get(f"{API}/credit-packages/")
    refused = _buy(viewer)
    bought = _buy(admin)

    # then
    assert listed.status_code == 200
    assert [p["slug"] for p in listed.json()["results"]] == [
        "credits-500",
        "credits-2500",
        "credits-10000",
    ]
    assert refused.status_code == 403
    assert bought.status_code == 201


def test_a_plan_bought_through_checkout_starts_the_subscription(owner, fake_stripe, api_client):
    # when: the owner checks out the Starter plan
    response = owner.client.post(
        f"{API}/subscriptions/checkout/", {"plan": "starter"}, format="json"
    )

    # then: a subscription-mode session with a monthly price
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    (sent,) = fake_stripe.requests_to("POST", "/v1/checkout/sessions")
    assert sent.params["mode"] == "subscription"
    price = sent.params["line_items"][0]["price_data"]
    assert (price["unit_amount"], price["recurring"]) == ("2900", {"interval": "month"})

    # when: Stripe reports it paid
    session = fake_stripe.complete_session(data["session_id"])
    assert _deliver(api_client, event("checkout.session.completed", session)).status_code == 200

    # then: Starter is active with its Stripe subscription id; its credits are granted
    active = Subscription.unscoped.get(account_id=owner.account_id, status="active")
    assert (active.plan.slug, active.external_id) == ("starter", session["subscription"])
    assert balance_of(owner.account_id) == 1100
    assert Invoice.unscoped.get(payment_id=data["payment_id"]).status == "paid"

    # when: the subscription is renewed, then cancelled at Stripe
    renewal = {
        "id": "in_fake_renewal",
        "object": "invoice",
        "billing_reason": "subscription_cycle",
        "amount_paid": 2900,
        "currency": "usd",
        "parent": {"subscription_details": {"subscription": session["subscription"]}},
    }
    renewed = _deliver(api_client, event("invoice.paid", renewal))
    deleted = _deliver(
        api_client,
        event("customer.subscription.deleted", {"id": session["subscription"], "object": "sub"}),
    )

    # then: the renewal is a paid invoice (credits come from the renewal job), then cancelled
    assert renewed.json()["data"]["result"] == "renewal_recorded"
    renewal_payment = Payment.unscoped.get(provider_reference="in_fake_renewal")
    assert (renewal_payment.status, str(renewal_payment.amount)) == ("succeeded", "29.00")
    assert renewal_payment.invoice.status == "paid"
    assert deleted.json()["data"]["result"] == "subscription_canceled"
    active.refresh_from_db()
    assert active.status == "canceled"
    assert balance_of(owner.account_id) == 1100
