"""`ai/generate/description/`: through the AI gateway (offline provider, fake OpenAI),
charged once on success, 402 without credits, nothing charged on failure."""

import pytest

from flowline.ai.testing import fake_openai as openai_fake
from flowline.ai.testing.fixtures import use_fake_openai
from flowline.billing import public as credits
from flowline.billing.models import CreditBalance, CreditTransaction, CreditUsage
from flowline.commerce.models import Product
from flowline.commerce.tests.factories import ProductCategoryFactory, ProductFactory
from flowline.core.roles import Role

pytestmark = pytest.mark.django_db

URL = "/api/v1/ai/generate/description/"


@pytest.fixture(autouse=True)
def _offline_unless_configured(no_ai_environment):
    """No developer key leaks in: accounts without a provider get the offline one."""


def _available(owner) -> int:
    return CreditBalance.unscoped.get(account_id=owner.account_id).available


def _deductions(owner):
    return CreditTransaction.unscoped.filter(
        account_id=owner.account_id, transaction_type="deduction"
    )


def test_description_for_a_product_is_generated_offline_and_charged_once(owner):
    # given
    category = ProductCategoryFactory(account=owner.account, name="Kitchen")
    product = ProductFactory(account=owner.account, name="Bamboo Board", category=category)
    before = _available(owner)

    # when
    response = owner.client.post(
        URL,
        {
            "product_id": product.id,
            "features": ["Sustainable bamboo", "Juice groove"],
            "tone": "professional",
            "length": "short",
        },
    )

    # then
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["offline"] is True
    assert "Bamboo Board" in data["description"]
    assert "Sustainable bamboo" in data["bullets"]
    assert data["credits_used"] == 1 and data["saved"] is False
    assert _available(owner) == before - 1
    assert _deductions(owner).get().operation_type == "product_description"
    assert CreditUsage.unscoped.get(account_id=owner.account_id).credits_used == 1
    product.refresh_from_db()
    assert product.description == ""


def test_save_writes_the_description_to_the_product(owner):
    # given
    product = ProductFactory(account=owner.account, name="Linen Apron")

    # when
    response = owner.client.post(URL, {"product_id": product.id, "save": True})

    # then
    assert response.status_code == 200
    product.refresh_from_db()
    assert product.description == response.json()["data"]["description"]
    assert "Linen Apron" in product.description


def test_description_from_a_name_and_features_without_a_product(owner):
    # when
    response = owner.client.post(URL, {"name": "Trail Socks", "features": ["Merino wool"]})

    # then
    assert response.status_code == 200
    assert "Trail Socks" in response.json()["data"]["description"]


def test_no_credits_is_402_and_the_ai_is_not_called(owner):
    # given
    credits.credits_adjust(
        account_id=owner.account_id, amount=-_available(owner), reason="drain", user_id=None
    )
    product = ProductFactory(account=owner.account)

    # when
    response = owner.client.post(URL, {"product_id": product.id, "save": True})

    # then
    assert response.status_code == 402
    assert response.json()["code"] == "insufficient_credits"
    assert not _deductions(owner).exists()
    product.refresh_from_db()
    assert product.description == ""
    from flowline.ai.models import AICall

    assert not AICall.unscoped.filter(account_id=owner.account_id).exists()


def test_a_failing_provider_charges_nothing(owner, fake_openai):
    # given: the account's provider refuses its key
    use_fake_openai(owner.account_id, fake_openai, api_key="bad-key")
    before = _available(owner)
    product = ProductFactory(account=owner.account)

    # when
    response = owner.client.post(URL, {"product_id": product.id, "save": True})

    # then
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert _available(owner) == before
    assert not _deductions(owner).exists()
    assert CreditBalance.unscoped.get(account_id=owner.account_id).held == 0
    product.refresh_from_db()
    assert product.description == ""


def test_an_answer_without_a_description_charges_nothing(owner, fake_openai):
    # given: the fake answers JSON that has no "description"
    use_fake_openai(owner.account_id, fake_openai, api_key=openai_fake.GOOD_KEY)
    before = _available(owner)

    # when
    response = owner.client.post(URL, {"name": "Mug"})

    # then
    assert response.status_code == 502
    assert _available(owner) == before
    assert CreditBalance.unscoped.get(account_id=owner.account_id).held == 0


def test_idempotency_key_replays_without_charging_twice(owner):
    # given
    headers = {"HTTP_IDEMPOTENCY_KEY": "desc-1"}
    before = _available(owner)

    # when
    first = owner.client.post(URL, {"name": "Mug"}, **headers)
    again = owner.client.post(URL, {"name": "Mug"}, **headers)

    # then
    assert first.json()["data"] == again.json()["data"]
    assert again["Idempotent-Replayed"] == "true"
    assert _available(owner) == before - 1


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "name"), ({"name": "X", "save": True}, "save"), ({"name": "X", "tone": "angry"}, "tone")],
)
def test_bad_requests_are_400_and_free(owner, body, field):
    # when
    response = owner.client.post(URL, body)

    # then
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not _deductions(owner).exists()


def test_another_accounts_product_is_400(owner, other_owner):
    # given
    foreign = ProductFactory(account=other_owner.account)

    # when
    response = owner.client.post(URL, {"product_id": foreign.id, "save": True})

    # then
    assert response.status_code == 400 and "product_id" in response.json()["errors"]
    assert Product.unscoped.get(id=foreign.id).description == ""


def test_viewer_cannot_spend_credits(owner, member_factory):
    # given
    viewer = member_factory(owner, Role.VIEWER)

    # when
    response = viewer.client.post(URL, {"name": "Mug"})

    # then
    assert response.status_code == 403
