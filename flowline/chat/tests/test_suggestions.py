"""AI reply suggestions from the conversation and the shop's products, paid in credits."""

import pytest

from flowline.ai.testing.fixtures import use_fake_openai
from flowline.billing.models import CreditBalance
from flowline.chat.services import message_receive
from flowline.commerce.models import Product

pytestmark = pytest.mark.django_db
URL = "/api/v1/ai/chat/suggestions/"


def _conversation(owner):
    message = message_receive(
        account_id=owner.account_id,
        channel="whatsapp",
        customer_handle="+3519",
        body="Do you have the blue yoga mat?",
        external_id="w1",
    )
    return message.conversation_id


def test_suggestions_use_the_conversation_and_products_and_cost_a_credit(owner):
    Product.unscoped.create(
        account=owner.account,
        name="Blue yoga mat",
        slug="blue-yoga-mat",
        price="29.90",
        status="active",
        stock_quantity=4,
    )
    response = owner.client.post(URL, {"conversation_id": _conversation(owner)}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert len(data["suggestions"]) == 3 and data["offline"] is True
    assert "blue yoga mat" in data["suggestions"][0].lower()
    assert len(data["products"]) == 1
    assert CreditBalance.unscoped.get(account_id=owner.account_id).total == 99


def test_a_failing_provider_costs_nothing(owner, fake_openai):
    use_fake_openai(owner.account_id, fake_openai, api_key="bad-key")
    response = owner.client.post(URL, {"conversation_id": _conversation(owner)}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "bad_key"
    balance = CreditBalance.unscoped.get(account_id=owner.account_id)
    assert (balance.total, balance.held) == (100, 0)


def test_another_accounts_conversation_is_404(owner, other_owner):
    conversation_id = _conversation(other_owner)
    assert (
        owner.client.post(URL, {"conversation_id": conversation_id}, format="json").status_code
        == 404
    )


@pytest.mark.parametrize(("engine", "found"), [("wordllama", True), ("tfidf", False)])
def test_the_packaged_model_retrieves_the_product_the_customer_means(
    owner, settings, engine, found
):
    # given: the coffee machine is the shop's oldest product, eight newer ones follow
    settings.FLOWLINE_EMBEDDINGS = engine
    names = ["Bean-to-cup coffee machine", "Blue yoga mat", "Running shoes", "Cast iron skillet",
             "Desk lamp", "Wool socks", "Garden hose", "Phone case", "Travel pillow"]  # fmt: skip
    products = [
        Product.unscoped.create(
            account=owner.account, name=name, slug=f"p{index}", price="10", status="active"
        )
        for index, name in enumerate(names)
    ]
    conversation_id = message_receive(
        account_id=owner.account_id,
        channel="whatsapp",
        customer_handle="+3519",
        body="Do you sell something to brew espresso at home?",
        external_id="w2",
    ).conversation_id

    # when
    response = owner.client.post(URL, {"conversation_id": conversation_id}, format="json")

    # then: the packaged model hands the model the coffee machine first; TF-IDF mode keeps
    # the newest eight products, without it
    assert response.status_code == 200, response.content
    sent = response.json()["data"]["products"]
    assert len(sent) == 8
    assert (sent[0] == products[0].id) is found
    assert (products[0].id in sent) is found
