"""Payment methods: cards attached at Stripe, bank details, one default, per account."""

import pytest

from flowline.billing.models import PaymentMethod
from flowline.billing.tests.factories import PaymentMethodFactory
from flowline.core.roles import Role

pytestmark = pytest.mark.django_db
API = "/api/v1/billing/payment-methods"


def _add_card(member, fake_stripe, **card):
    pm_id = fake_stripe.add_card(**card)
    return member.client.post(f"{API}/", {"kind": "card", "provider_id": pm_id}, format="json")


def _defaults(account_id):
    return list(
        PaymentMethod.unscoped.filter(account_id=account_id, is_default=True).values_list(
            "id", flat=True
        )
    )


def test_a_card_is_attached_at_stripe_and_read_from_there(owner, fake_stripe):
    # when
    response = _add_card(owner, fake_stripe, brand="mastercard", last4="4444", exp=(3, 2031))

    # then: the details come from Stripe, the first method is the default
    assert response.status_code == 201, response.content
    card = response.json()["data"]
    assert (card["brand"], card["last4"], card["exp_month"], card["exp_year"]) == (
        "mastercard",
        "4444",
        3,
        2031,
    )
    assert card["is_default"] is True
    (customer,) = fake_stripe.customers
    (attached,) = [m for m in fake_stripe.payment_methods.values() if m["customer"] == customer]
    assert attached["id"] == PaymentMethod.unscoped.get(id=card["id"]).provider_id


def test_client_cannot_set_what_stripe_says(owner, fake_stripe):
    # when
    response = owner.client.post(
        f"{API}/",
        {"kind": "card", "provider_id": fake_stripe.add_card(), "last4": "0000", "brand": "x"},
        format="json",
    )

    # then
    assert response.status_code == 400
    assert "brand" in response.json()["errors"]


def test_a_declined_card_is_402_and_not_saved(owner, fake_stripe):
    # when
    response = _add_card(owner, fake_stripe, last4="0002")

    # then
    assert response.status_code == 402
    assert response.json()["code"] == "card_declined"
    assert not PaymentMethod.unscoped.filter(account_id=owner.account_id).exists()


def test_one_default_at_a_time(owner, fake_stripe):
    # given: a card (default) and bank details
    card = _add_card(owner, fake_stripe).json()["data"]
    bank = owner.client.post(
        f"{API}/", {"kind": "bank_transfer", "label": "Main bank", "last4": "1234"}, format="json"
    ).json()["data"]
    assert bank["is_default"] is False

    # when
    response = owner.client.post(f"{API}/{bank['id']}/set_default/")

    # then
    assert response.status_code == 200
    assert _defaults(owner.account_id) == [bank["id"]]
    listed = owner.client.get(f"{API}/").json()["results"]
    assert [(m["id"], m["is_default"]) for m in listed] == [(bank["id"], True), (card["id"], False)]


def test_removing_the_default_promotes_another_and_detaches_the_card(owner, fake_stripe):
    # given
    card = _add_card(owner, fake_stripe).json()["data"]
    other = _add_card(owner, fake_stripe, last4="1881").json()["data"]
    pm_id = PaymentMethod.unscoped.get(id=card["id"]).provider_id

    # when
    response = owner.client.delete(f"{API}/{card['id']}/")

    # then
    assert response.status_code == 200
    assert _defaults(owner.account_id) == [other["id"]]
    assert fake_stripe.payment_methods[pm_id]["customer"] is None


def test_a_method_is_renamed_but_nothing_else_changes(owner, fake_stripe):
    # given
    card = _add_card(owner, fake_stripe).json()["data"]

    # when
    renamed = owner.client.patch(f"{API}/{card['id']}/", {"label": "Company card"}, format="json")
    refused = owner.client.patch(f"{API}/{card['id']}/", {"last4": "9999"}, format="json")

    # then
    assert renamed.status_code == 200 and renamed.json()["data"]["label"] == "Company card"
    assert refused.status_code == 400
    assert PaymentMethod.unscoped.get(id=card["id"]).last4 == "4242"


def test_cards_saved_at_stripe_are_imported_once(owner, fake_stripe):
    # given: a card attached at Stripe outside Flowline (e.g. during checkout)
    _add_card(owner, fake_stripe)
    (customer,) = fake_stripe.customers
    saved_elsewhere = fake_stripe.add_card(last4="5556")
    fake_stripe.payment_methods[saved_elsewhere]["customer"] = customer

    # when
    first = owner.client.post(f"{API}/sync/")
    second = owner.client.post(f"{API}/sync/")

    # then
    assert first.status_code == 200
    assert sorted(m["last4"] for m in second.json()["data"]) == ["4242", "5556"]
    listed = fake_stripe.requests_to("GET", "/v1/payment_methods")
    assert listed[0].params == {"customer": customer, "type": "card", "limit": "100"}


def test_viewers_read_methods_but_cannot_change_them(owner, member_factory, fake_stripe):
    # given
    card = _add_card(owner, fake_stripe).json()["data"]
    viewer = member_factory(owner, Role.VIEWER)

    # when / then
    assert viewer.client.get(f"{API}/").json()["count"] == 1
    assert _add_card(viewer, fake_stripe).status_code == 403
    assert viewer.client.post(f"{API}/{card['id']}/set_default/").status_code == 403
    assert viewer.client.delete(f"{API}/{card['id']}/").status_code == 403


def test_another_accounts_method_is_404_everywhere(owner, other_owner):
    # given
    theirs = PaymentMethodFactory(account=other_owner.account, is_default=True)

    # when
    responses = [
        owner.client.get(f"{API}/{theirs.id}/"),
        owner.client.patch(f"{API}/{theirs.id}/", {"label": "x"}, format="json"),
        owner.client.post(f"{API}/{theirs.id}/set_default/"),
        owner.client.delete(f"{API}/{theirs.id}/"),
    ]

    # then
    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    theirs.refresh_from_db()
    assert theirs.is_default and theirs.label == ""


def test_a_card_reads_as_documented_with_its_expiry_as_numbers(owner):
    # given: exp_month and exp_year are blank-able integer columns
    from flowline.core.testing.openapi import assert_documented

    card = PaymentMethodFactory(account=owner.account, exp_month=12, exp_year=2030)

    # when
    response = owner.client.get(f"{API}/{card.id}/")

    # then: numbers, and the schema says numbers (it once said "string or empty")
    assert response.json()["data"]["exp_month"] == 12
    assert_documented(response, "GET", "/api/v1/billing/payment-methods/{id}/")
