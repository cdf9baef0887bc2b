"""pytest fixtures for the fake providers, and helpers that point an account at them.

Import them in a conftest.py: `from flowline.ai.testing.fixtures import *  # noqa: F403`.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from flowline.ai.models import AIModel, LLMProvider
from flowline.ai.testing import fake_openai as openai_fake
from flowline.ai.testing import fake_runware as runware_fake
from flowline.ai.testing.fake_openai import FakeOpenAI
from flowline.ai.testing.fake_runware import FakeRunware
from flowline.core.testing.outbound import allow_private_host

__all__ = ["fake_openai", "fake_runware", "no_ai_environment", "use_fake_openai"]


@pytest.fixture
def fake_openai(settings):
    """A running fake OpenAI-compatible API (`.base_url`, `.requests`), allow-listed."""
    with FakeOpenAI() as server:
        allow_private_host(settings, server.root)
        yield server


@pytest.fixture
def fake_runware(settings):
    """A running fake Runware API (`.base_url`, `.requests`), allow-listed."""
    with FakeRunware() as server:
        allow_private_host(settings, server.root)
        yield server


@pytest.fixture
def no_ai_environment(settings):
    """No provider keys from the environment: unconfigured accounts get the offline one."""
    settings.OPENAI_API_KEY = ""
    settings.OPENAI_BASE_URL = ""
    settings.RUNWARE_API_KEY = ""
    settings.AI_IMAGE_PROVIDER = ""
    return settings


def use_fake_openai(
    account_id: int,
    server: FakeOpenAI,
    *,
    api_key: str = openai_fake.GOOD_KEY,
    chat_model: str = openai_fake.CHAT_MODEL,
    prices: tuple[str, str] = ("0.5", "1.5"),
) -> LLMProvider:
    """Make the fake the account's default provider, with a chat, embedding and image model."""
    provider = LLMProvider.unscoped.create(
        account_id=account_id,
        name="Fake OpenAI",
        kind=LLMProvider.Kind.OPENAI_COMPATIBLE,
        base_url=server.base_url,
        api_key=api_key,
        is_default=True,
    )
    for name, purpose in (
        (chat_model, AIModel.Purpose.CHAT),
        (openai_fake.EMBEDDING_MODEL, AIModel.Purpose.EMBEDDING),
        (openai_fake.IMAGE_MODEL, AIModel.Purpose.IMAGE),
    ):
        AIModel.unscoped.create(
            account_id=account_id,
            provider=provider,
            name=name,
            purpose=purpose,
            is_default=True,
            cost_per_1k_input=Decimal(prices[0]),
            cost_per_1k_output=Decimal(prices[1]),
            cost_per_image=Decimal("0.04"),
        )
    return provider


def use_fake_runware(account_id: int, server: FakeRunware, *, api_key: str = runware_fake.GOOD_KEY):
    """Make the fake Runware the account's image provider."""
    provider = LLMProvider.unscoped.create(
        account_id=account_id,
        name="Fake Runware",
        kind=LLMProvider.Kind.RUNWARE,
        base_url=server.base_url,
        api_key=api_key,
    )
    return AIModel.unscoped.create(
        account_id=account_id,
        provider=provider,
        name="runware:101@1",
        purpose=AIModel.Purpose.IMAGE,
        is_default=True,
        cost_per_image=Decimal("0.002"),
    )
