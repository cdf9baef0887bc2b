"""LLM providers and AI models: one default per account (and per purpose), checked URLs."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from flowline.ai.models import AIModel, LLMProvider
from flowline.core import urlguard
from flowline.core.errors import ApplicationError, ConflictError


@transaction.atomic
def provider_save(*, provider: LLMProvider | None = None, **fields) -> LLMProvider:
    """Create (`provider=None`) or change a provider. An absent `api_key` keeps the stored
    one; making it the default takes the flag from the account's other providers."""
    provider = provider or LLMProvider()
    if fields.get("base_url"):
        urlguard.check(fields["base_url"])
    for name, value in fields.items():
        setattr(provider, name, value)
    if provider.kind == LLMProvider.Kind.OPENAI_COMPATIBLE and not (
        provider.api_key or provider.base_url
    ):
        raise ApplicationError(
            "An OpenAI-compatible provider needs an API key or a base URL.",
            errors={"api_key": ["Give an API key, or a base_url for a local server."]},
        )
    if provider.kind == LLMProvider.Kind.RUNWARE and not provider.api_key:
        raise ApplicationError(
            "A Runware provider needs an API key.", errors={"api_key": ["This field is required."]}
        )
    _save_unique(provider, "A provider with this name already exists.")
    if provider.is_default:
        LLMProvider.objects.exclude(id=provider.id).filter(is_default=True).update(is_default=False)
    return provider


@transaction.atomic
def model_save(*, model: AIModel | None = None, **fields) -> AIModel:
    """Create or change an AI model; the default of a purpose is unique in the account."""
    model = model or AIModel()
    for name, value in fields.items():
        setattr(model, name, value)
    _save_unique(model, "This provider already has a model with this name and purpose.")
    if model.is_default:
        AIModel.objects.exclude(id=model.id).filter(purpose=model.purpose, is_default=True).update(
            is_default=False
        )
    return model


def _save_unique(instance, message: str) -> None:
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ConflictError(message, code="duplicate", errors={"name": [message]}) from exc
