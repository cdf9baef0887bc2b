import factory

from flowline.ai.models import (
    AIAgent,
    AIModel,
    AuthorProfile,
    IntegrationSetting,
    LLMProvider,
    Prompt,
    Strategy,
)
from flowline.core.testing.factories import TenantFactory


class LLMProviderFactory(TenantFactory):
    class Meta:
        model = LLMProvider

    name = factory.Sequence(lambda n: f"Provider {n}")
    kind = LLMProvider.Kind.OPENAI_COMPATIBLE
    base_url = "https://api.example.com/v1"
    api_key = factory.Sequence(lambda n: f"sk-test-secret-{n:04d}")


class AIModelFactory(TenantFactory):
    class Meta:
        model = AIModel

    provider = factory.SubFactory(LLMProviderFactory, account=factory.SelfAttribute("..account"))
    name = factory.Sequence(lambda n: f"model-{n}")
    purpose = AIModel.Purpose.CHAT


class AIAgentFactory(TenantFactory):
    class Meta:
        model = AIAgent

    name = factory.Sequence(lambda n: f"Agent {n}")
    instructions = "Summarise the input in one sentence."
    model = factory.SubFactory(AIModelFactory, account=factory.SelfAttribute("..account"))


class PromptFactory(TenantFactory):
    class Meta:
        model = Prompt

    prompt_type = factory.Sequence(lambda n: f"custom_{n}")
    prompt_value = "Write about [[topic]]."


class AuthorProfileFactory(TenantFactory):
    class Meta:
        model = AuthorProfile

    name = factory.Sequence(lambda n: f"Author {n}")
    tone = "friendly"


class StrategyFactory(TenantFactory):
    class Meta:
        model = Strategy

    name = factory.Sequence(lambda n: f"Strategy {n}")
    sections = ["Introduction", "Body", "Conclusion"]


class IntegrationSettingFactory(TenantFactory):
    class Meta:
        model = IntegrationSetting

    integration_type = IntegrationSetting.Type.OPENAI
    config = factory.LazyFunction(lambda: {"model": "gpt-4o-mini"})
