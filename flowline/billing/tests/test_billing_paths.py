"""002's names for the balance and the ledger: `billing/credits/balance/` and
`billing/transactions/` answer from the same selectors as 003's paths."""

import pytest

from flowline.billing.services import credits

pytestmark = pytest.mark.django_db


def test_credits_balance_is_the_live_balance(owner):
    # given
    credits.credits_charge(account_id=owner.account_id, operation_type="content", amount=30)

    # when
    short = owner.client.get("/api/v1/billing/credits/balance/")
    long = owner.client.get("/api/v1/billing/credits/balance/balance/")

    # then
    assert short.status_code == 200, short.content
    assert short.json()["data"]["credits"] == 70
    assert short.json()["data"]["credits_used_this_month"] == 30
    assert short.json()["data"] == long.json()["data"]


def test_billing_transactions_is_the_accounts_ledger_newest_first(owner, other_owner):
    # given
    credits.credits_charge(account_id=owner.account_id, operation_type="content", amount=5)
    credits.credits_charge(account_id=other_owner.account_id, operation_type="content", amount=7)

    # when
    response = owner.client.get("/api/v1/billing/transactions/")
    deductions = owner.client.get(
        "/api/v1/billing/transactions/", {"transaction_type": "deduction"}
    )

    # then
    assert response.status_code == 200
    assert [row["amount"] for row in response.json()["results"]] == [-5, 100]
    assert [row["amount"] for row in deductions.json()["results"]] == [-5]


def test_another_accounts_transaction_is_404_and_bad_filters_are_400(owner, other_owner):
    # given
    credits.credits_charge(account_id=other_owner.account_id, operation_type="content", amount=7)
    foreign_id = other_owner.client.get("/api/v1/billing/transactions/").json()["results"][0]["id"]

    # when
    foreign = owner.client.get(f"/api/v1/billing/transactions/{foreign_id}/")
    bad_date = owner.client.get("/api/v1/billing/transactions/", {"start_date": "yesterday"})

    # then
    assert (foreign.status_code, bad_date.status_code) == (404, 400)


def test_balance_needs_a_signed_in_member(api_client):
    # when
    response = api_client.get("/api/v1/billing/credits/balance/")

    # then
    assert response.status_code == 401
