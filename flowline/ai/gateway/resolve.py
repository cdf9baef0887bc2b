"""Which provider and model answers a call: the account's, then the environment's, then
the built-in offline provider.

Order for one purpose (chat, embedding, image):
1. the account's AI model of that purpose: the one named, else its default, else a model
   of the account's default provider (000 llm-providers / ai-models);
2. the account's 003 integration settings (`openai`, `runware`, `image_generation`);
3. the environment (OPENAI_API_KEY / OPENAI_BASE_URL, RUNWARE_API_KEY, AI_*_MODEL);
4. the offline provider.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from flowline.ai.gateway.types import OFFLINE, OPENAI_COMPATIBLE, RUNWARE, Target
from flowline.ai.models import AIModel, IntegrationSetting, LLMProvider

CHAT, EMBEDDING, IMAGE = "chat", "embedding", "image"
# Public list prices (USD) of common models, used when the account set no prices.
KNOWN_PRICES: dict[str, tuple[str, str, str]] = {
    "gpt-4o-mini": ("0.00015", "0.0006", "0"),
    "gpt-4o": ("0.0025", "0.01", "0"),
    "gpt-4.1-mini": ("0.0004", "0.0016", "0"),
    "gpt-4.1": ("0.002", "0.008", "0"),
    "text-embedding-3-small": ("0.00002", "0", "0"),
    "text-embedding-3-large": ("0.00013", "0", "0"),
    "dall-e-3": ("0", "0", "0.04"),
    "dall-e-2": ("0", "0", "0.02"),
}
_SERVES = {
    OPENAI_COMPATIBLE: {CHAT, EMBEDDING, IMAGE},
    RUNWARE: {IMAGE},
    OFFLINE: {CHAT, EMBEDDING, IMAGE},
}


def resolve(*, account_id: int, purpose: str, model: str | None = None) -> Target:
    """The target of one call of `purpose` for the account."""
    return (
        _from_account_models(account_id, purpose, model)
        or _from_integrations(account_id, purpose, model)
        or _from_environment(purpose, model)
        or offline_target(purpose, model)
    )


def offline_target(purpose: str, model: str | None = None) -> Target:
    return Target(kind=OFFLINE, provider=OFFLINE, model=f"offline-{purpose}", source="offline")


def _from_account_models(account_id: int, purpose: str, model: str | None) -> Target | None:
    rows = AIModel.unscoped.filter(
        account_id=account_id, purpose=purpose, is_active=True, provider__is_active=True
    ).select_related("provider")
    row = None
    if model:
        row = rows.filter(name=model).order_by("-is_default", "id").first()
    if row is None:
        row = rows.filter(is_default=True).order_by("id").first()
    provider = None
    if row is None:
        provider = (
            LLMProvider.unscoped.filter(account_id=account_id, is_active=True, is_default=True)
            .order_by("id")
            .first()
        )
        if provider is None or purpose not in _SERVES[provider.kind]:
            return None
        row = rows.filter(provider=provider).order_by("-is_default", "id").first()
    if row is not None:
        provider = row.provider
        if purpose not in _SERVES[provider.kind]:
            return None
    if provider.kind == OFFLINE:
        return offline_target(purpose, model)
    if row is not None and (not model or row.name == model):
        name = row.name
        prices = (row.cost_per_1k_input, row.cost_per_1k_output, row.cost_per_image)
    else:  # a model the account has no row for, on its provider
        name = model or _env_model(purpose, provider.kind)
        prices = _known_prices(name)
    return _target(
        provider.kind,
        provider=provider.name,
        model=name,
        base_url=provider.base_url,
        api_key=provider.api_key,
        source="account",
        prices=prices,
    )


def _from_integrations(account_id: int, purpose: str, model: str | None) -> Target | None:
    rows = {
        row.integration_type: row.full_config()
        for row in IntegrationSetting.unscoped.filter(account_id=account_id, is_active=True)
    }
    if purpose == IMAGE:
        choice = rows.get(IntegrationSetting.Type.IMAGE_GENERATION, {})
        wanted = choice.get("provider") or (
            "runware" if rows.get("runware", {}).get("apiKey") else "openai"
        )
        if wanted == "runware":
            config = {**rows.get("runware", {}), **_non_empty(choice)}
            key = config.get("apiKey") or settings.RUNWARE_API_KEY
            if not key:
                return None
            return _target(
                RUNWARE,
                provider="runware",
                model=model or config.get("model") or settings.RUNWARE_IMAGE_MODEL,
                base_url=config.get("baseUrl") or settings.RUNWARE_BASE_URL,
                api_key=key,
                source="integration",
                options={"image_type": config.get("image_type", "")},
            )
    config = rows.get(IntegrationSetting.Type.OPENAI)
    if not config or not (config.get("apiKey") or config.get("baseUrl")):
        return None
    if purpose == IMAGE:
        image_choice = rows.get(IntegrationSetting.Type.IMAGE_GENERATION, {})
        name = model or image_choice.get("model") or config.get("imageModel")
    elif purpose == EMBEDDING:
        name = model or config.get("embeddingModel")
    else:
        name = model or config.get("model")
    name = name or _env_model(purpose, OPENAI_COMPATIBLE)
    options = {k: config[k] for k in ("temperature", "max_tokens") if config.get(k) is not None}
    return _target(
        OPENAI_COMPATIBLE,
        provider="openai",
        model=name,
        base_url=config.get("baseUrl", ""),
        api_key=config.get("apiKey", ""),
        source="integration",
        options=options,
    )


def _from_environment(purpose: str, model: str | None) -> Target | None:
    openai_ready = bool(settings.OPENAI_API_KEY or settings.OPENAI_BASE_URL)
    kind = OPENAI_COMPATIBLE if openai_ready else None
    if purpose == IMAGE:
        wanted = settings.AI_IMAGE_PROVIDER or (
            "openai" if openai_ready else ("runware" if settings.RUNWARE_API_KEY else "")
        )
        kind = {"openai": OPENAI_COMPATIBLE, "runware": RUNWARE}.get(wanted)
        if kind == RUNWARE and not settings.RUNWARE_API_KEY:
            return None
        if kind == OPENAI_COMPATIBLE and not openai_ready:
            return None
    if kind is None:
        return None
    if kind == RUNWARE:
        return _target(
            RUNWARE,
            provider="runware",
            model=model or settings.RUNWARE_IMAGE_MODEL,
            base_url=settings.RUNWARE_BASE_URL,
            api_key=settings.RUNWARE_API_KEY,
            source="environment",
        )
    return _target(
        OPENAI_COMPATIBLE,
        provider="openai",
        model=model or _env_model(purpose, kind),
        base_url=settings.OPENAI_BASE_URL,
        api_key=settings.OPENAI_API_KEY,
        source="environment",
    )


def _env_model(purpose: str, kind: str) -> str:
    if kind == RUNWARE:
        return settings.RUNWARE_IMAGE_MODEL
    return {
        CHAT: settings.AI_CHAT_MODEL,
        EMBEDDING: settings.AI_EMBEDDING_MODEL,
        IMAGE: settings.AI_IMAGE_MODEL,
    }[purpose]


def _known_prices(model: str) -> tuple[Decimal, Decimal, Decimal]:
    return tuple(Decimal(p) for p in KNOWN_PRICES.get(model, ("0", "0", "0")))


def _non_empty(config: dict) -> dict:
    return {key: value for key, value in config.items() if value not in ("", None)}


def _target(
    kind: str,
    *,
    provider: str,
    model: str,
    base_url: str,
    api_key: str,
    source: str,
    prices=None,
    options=None,
) -> Target:
    # No address check here: every call goes through core.outbound, which checks the
    # address it connects to (the host may have been re-pointed since it was saved).
    price_in, price_out, price_image = prices or _known_prices(model)
    return Target(
        kind=kind,
        provider=provider,
        model=model,
        base_url=base_url,
        api_key=api_key,
        source=source,
        price_in=price_in,
        price_out=price_out,
        price_image=price_image,
        options=options or {},
    )
