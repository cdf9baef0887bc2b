"""The sandbox Stripe: the real SDK creates the Checkout Session at /sandbox/stripe/, the
payer uses the sandbox checkout page, and the signed webhook credits the account."""

import httpx
import pytest

from flowline.billing.models import CreditPackage
from flowline.sandbox.tests.support import Browser

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _buy(owner) -> dict:
    package = CreditPackage.objects.get(slug="credits-500")
    purchase = owner.client.post(
        f"/api/v1/billing/credit-packages/{package.id}/purchase/",
        {"method": "stripe"},
        format="json",
    )
    assert purchase.status_code == 201, purchase.json()
    return purchase.json()["data"]


def _balance(owner) -> int:
    return owner.client.get("/api/v1/billing/credits/balance/balance/").json()["data"]["credits"]


def test_paying_on_the_sandbox_checkout_credits_the_package(sandbox, owner):
    # given
    before = _balance(owner)
    purchase = _buy(owner)
    assert purchase["checkout_url"].startswith(f"{sandbox}/sandbox/checkout/")
    browser = Browser(purchase["checkout_url"], "Pay with card")

    # when
    paid = browser.post(action="pay", card="4242 4242 4242 4242")

    # then: back to the success page, and the signed webhook credited the purchase
    assert paid.status_code == 302
    assert purchase["session_id"] in paid.headers["location"]
    assert _balance(owner) == before + 500


def test_a_declined_card_says_so_and_credits_nothing(sandbox, owner):
    # given
    before = _balance(owner)
    purchase = _buy(owner)
    browser = Browser(purchase["checkout_url"], "Pay with card")

    # when
    declined = browser.post(action="pay", card="4000 0000 0000 0002")

    # then
    assert declined.status_code == 402 and "Your card was declined." in declined.text
    assert _balance(owner) == before


def test_an_unknown_checkout_session_is_not_found(sandbox):
    assert httpx.get(f"{sandbox}/sandbox/checkout/cs_test_nothing").status_code == 404
