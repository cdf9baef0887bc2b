"""000 automations: llm-providers, ai-models, ai-agents over HTTP."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from flowline.ai.models import LLMProvider
from flowline.ai.tests.factories import AIAgentFactory, AIModelFactory, LLMProviderFactory
from flowline.core.roles import Role

pytestmark = pytest.mark.django_db
PROVIDERS = "/api/v1/automations/llm-providers/"
MODELS = "/api/v1/automations/ai-models/"
AGENTS = "/api/v1/automations/ai-agents/"
SECRET = "sk-live-abcdefghijklmnop-WXYZ"


def _create_provider(client, **extra):
    body = {"name": "OpenAI", "kind": "openai_compatible", "api_key": SECRET, **extra}
    return client.post(PROVIDERS, body, format="json")


def test_api_key_is_encrypted_at_rest_and_masked_in_responses(owner):
    # when
    response = _create_provider(owner.client)

    # then: the response never holds the key
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert "api_key" not in data
    assert data["api_key_masked"] == "********WXYZ" and data["has_api_key"] is True
    assert SECRET not in response.content.decode()
    listed = owner.client.get(PROVIDERS).content.decode()
    assert SECRET not in listed and "********WXYZ" in listed
    # and the database column holds ciphertext
    with connection.cursor() as cursor:
        cursor.execute("SELECT api_key FROM ai_llmprovider WHERE id = %s", [data["id"]])
        (raw,) = cursor.fetchone()
    assert raw and SECRET not in raw
    assert LLMProvider.unscoped.get(id=data["id"]).api_key == SECRET


def test_updating_without_a_key_keeps_the_stored_one(owner):
    # given
    provider_id = _create_provider(owner.client).json()["data"]["id"]

    # when
    response = owner.client.patch(f"{PROVIDERS}{provider_id}/", {"name": "Renamed"}, format="json")

    # then
    assert response.status_code == 200
    assert LLMProvider.unscoped.get(id=provider_id).api_key == SECRET


def test_one_default_provider_per_account(owner):
    # given
    first = _create_provider(owner.client, is_default=True).json()["data"]["id"]

    # when
    second = _create_provider(owner.client, name="Gemini", is_default=True).json()["data"]["id"]

    # then
    defaults = LLMProvider.unscoped.filter(account_id=owner.account_id, is_default=True)
    assert list(defaults.values_list("id", flat=True)) == [second]
    assert first != second


def test_openai_provider_needs_a_key_or_a_base_url(owner):
    # when
    response = owner.client.post(
        PROVIDERS, {"name": "Nothing", "kind": "openai_compatible"}, format="json"
    )

    # then
    assert response.status_code == 400
    assert "api_key" in response.json()["errors"]


def test_duplicate_provider_name_is_a_409(owner):
    # given
    _create_provider(owner.client)

    # when
    response = _create_provider(owner.client)

    # then
    assert response.status_code == 409


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_only_admins_write_provider_credentials(owner, member_factory, role):
    # given
    member = member_factory(owner, role)

    # when
    response = _create_provider(member.client)

    # then
    assert response.status_code == 403
    assert member.client.get(PROVIDERS).status_code == 200


def test_admin_can_manage_providers(owner, member_factory):
    # given
    admin = member_factory(owner, Role.ADMIN)

    # when
    response = _create_provider(admin.client)

    # then
    assert response.status_code == 201


def test_model_cannot_point_at_another_accounts_provider(owner, other_owner):
    # given
    foreign = LLMProviderFactory(account=other_owner.account)

    # when
    response = owner.client.post(
        MODELS, {"provider": foreign.id, "name": "gpt-4o", "purpose": "chat"}, format="json"
    )

    # then
    assert response.status_code == 400
    assert "provider" in response.json()["errors"]


def test_model_with_prices_and_one_default_per_purpose(owner):
    # given
    provider = LLMProviderFactory(account=owner.account)
    old = AIModelFactory(account=owner.account, provider=provider, is_default=True)

    # when
    response = owner.client.post(
        MODELS,
        {"provider": provider.id, "name": "gpt-4o", "purpose": "chat", "is_default": True,
         "cost_per_1k_input": "0.0025", "cost_per_1k_output": "0.01"},
        format="json",
    )  # fmt: skip

    # then
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert (data["provider_name"], data["cost_per_1k_output"]) == (provider.name, "0.010000")
    old.refresh_from_db()
    assert old.is_default is False


def test_editor_creates_an_agent_on_an_account_model(owner, member_factory):
    # given
    editor = member_factory(owner, Role.EDITOR)
    model = AIModelFactory(account=owner.account)

    # when
    response = editor.client.post(
        AGENTS,
        {"name": "Weekly digest", "instructions": "Summarise.", "model": model.id,
         "temperature": 0.3, "settings": {"schedule": "weekly"}},
        format="json",
    )  # fmt: skip

    # then
    assert response.status_code == 201, response.content
    assert response.json()["data"]["settings"] == {"schedule": "weekly"}


def test_agent_temperature_is_bounded(owner):
    # when
    response = owner.client.post(AGENTS, {"name": "Hot", "temperature": 5}, format="json")

    # then
    assert response.status_code == 400


@pytest.mark.parametrize("url", [PROVIDERS, MODELS, AGENTS])
def test_list_query_count_does_not_grow_with_rows(owner, url):
    # given
    AIAgentFactory(account=owner.account)
    with CaptureQueriesContext(connection) as one:
        owner.client.get(url)

    # when
    AIAgentFactory.create_batch(4, account=owner.account)
    with CaptureQueriesContext(connection) as five:
        response = owner.client.get(url)

    # then
    assert response.json()["count"] == 5
    assert len(five) == len(one)
