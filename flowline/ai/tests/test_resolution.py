"""Which provider answers: the account's models, its integration settings, the environment,
then the offline provider."""

import pytest

from flowline.ai import public as ai
from flowline.ai.models import AIModel, IntegrationSetting, LLMProvider
from flowline.ai.testing.fake_openai import GOOD_KEY
from flowline.ai.testing.fixtures import use_fake_openai
from flowline.ai.tests.factories import AIAgentFactory, AIModelFactory
from flowline.core.tenancy import tenant_scope

pytestmark = pytest.mark.django_db
HI = [{"role": "user", "content": "hi"}]


def test_environment_key_is_the_fallback(owner, fake_openai, settings):
    # given
    settings.OPENAI_API_KEY = "sk-from-env"
    settings.OPENAI_BASE_URL = fake_openai.base_url
    settings.AI_CHAT_MODEL = "env-chat-model"

    # when
    result = ai.chat(account_id=owner.account_id, messages=HI, operation="chat_reply")

    # then
    assert (result.offline, result.provider, result.model) == (False, "openai", "env-chat-model")
    assert result.metadata["source"] == "environment"
    assert fake_openai.requests[-1]["headers"]["authorization"] == "Bearer sk-from-env"


def test_integration_settings_come_before_the_environment(owner, fake_openai, settings):
    # given
    settings.OPENAI_API_KEY = "sk-from-env"
    with tenant_scope(owner.account_id):
        row = IntegrationSetting(
            integration_type="openai",
            config={"model": "int-model", "baseUrl": fake_openai.base_url},
        )
        row.secret_values = {"apiKey": GOOD_KEY}
        row.save()

    # when
    result = ai.chat(account_id=owner.account_id, messages=HI, operation="chat_reply")

    # then
    assert (result.model, result.metadata["source"]) == ("int-model", "integration")
    assert fake_openai.requests[-1]["headers"]["authorization"] == f"Bearer {GOOD_KEY}"


def test_a_named_model_of_the_account_is_used(owner, fake_openai):
    # given
    provider = use_fake_openai(owner.account_id, fake_openai)
    AIModel.unscoped.create(account_id=owner.account_id, provider=provider, name="big-model")

    # when
    result = ai.chat(
        account_id=owner.account_id, messages=HI, operation="chat_reply", model="big-model"
    )

    # then
    assert result.model == "big-model"
    assert fake_openai.requests[-1]["json"]["model"] == "big-model"


def test_an_offline_default_provider_wins_over_the_environment(owner, settings):
    # given
    settings.OPENAI_API_KEY = "sk-from-env"
    LLMProvider.unscoped.create(
        account_id=owner.account_id, name="Offline", kind="offline", is_default=True
    )

    # when
    result = ai.chat(account_id=owner.account_id, messages=HI, operation="chat_reply")

    # then
    assert result.offline is True


def test_inactive_providers_are_skipped(owner, fake_openai):
    # given
    use_fake_openai(owner.account_id, fake_openai)
    LLMProvider.unscoped.filter(account_id=owner.account_id).update(is_active=False)

    # when
    result = ai.chat(account_id=owner.account_id, messages=HI, operation="chat_reply")

    # then
    assert result.offline is True
    assert fake_openai.requests == []


def test_another_accounts_provider_is_never_used(owner, other_owner, fake_openai):
    # given
    use_fake_openai(other_owner.account_id, fake_openai)

    # when
    result = ai.chat(account_id=owner.account_id, messages=HI, operation="chat_reply")

    # then
    assert result.offline is True


def test_an_agent_brings_its_instructions_model_and_temperature(owner, fake_openai):
    # given
    provider = use_fake_openai(owner.account_id, fake_openai)
    model = AIModelFactory(account=owner.account, provider=provider, name="agent-model")
    agent = AIAgentFactory(
        account=owner.account, model=model, instructions="Be brief.", temperature=0.2
    )

    # when
    ai.chat(
        account_id=owner.account_id, messages=HI, operation="agent_transform", agent_id=agent.id
    )

    # then
    sent = fake_openai.requests[-1]["json"]
    assert sent["model"] == "agent-model"
    assert sent["temperature"] == 0.2
    assert sent["messages"][0] == {"role": "system", "content": "Be brief."}


def test_a_model_the_account_has_no_row_for_goes_to_its_default_provider(owner, fake_openai):
    # given
    use_fake_openai(owner.account_id, fake_openai)

    # when
    result = ai.chat(
        account_id=owner.account_id, messages=HI, operation="chat_reply", model="gpt-4o"
    )

    # then: asked by name, priced from the public list
    assert (result.provider, result.model) == ("Fake OpenAI", "gpt-4o")
    assert fake_openai.requests[-1]["json"]["model"] == "gpt-4o"
    assert result.cost_usd > 0
