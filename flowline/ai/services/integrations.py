"""003 integration settings: save with credentials encrypted, show them masked, test a
provider for real, generate a test image into the media storage."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from flowline.ai import selectors
from flowline.ai.gateway import calls, errors, openai_compat
from flowline.ai.gateway import runware as runware_api
from flowline.ai.gateway.resolve import IMAGE, KNOWN_PRICES, offline_target, resolve
from flowline.ai.gateway.types import OFFLINE, OPENAI_COMPATIBLE, RUNWARE, Target
from flowline.ai.models import SECRET_KEYS, IntegrationSetting
from flowline.core import media, tenancy, urlguard
from flowline.core.errors import ApplicationError
from flowline.core.fields import mask
from flowline.core.images import ImageRefused, check_image

TYPES = selectors.TYPES
IMAGE_PROVIDERS = ("openai", "runware", "offline")
IMAGE_MODELS = {
    "openai": ["dall-e-3", "dall-e-2", "gpt-image-1"],
    "runware": ["runware:101@1", "runware:100@1", "runware:97@1"],
    "offline": ["offline-image"],
}
IMAGE_SIZES = ["1024x1024", "1024x1792", "1792x1024", "512x512", "256x256"]


def integration_view(row: IntegrationSetting | None, integration_type: str) -> dict:
    """What the API shows: the config with every credential masked."""
    selectors.integration_type_check(integration_type)
    if row is None:
        return {
            "integration_type": integration_type,
            "config": {},
            "is_active": False,
            "configured": False,
            "updated_at": None,
        }
    masked = {key: mask(value) for key, value in row.secret_values.items()}
    return {
        "integration_type": integration_type,
        "config": {**row.config, **masked},
        "is_active": row.is_active,
        "configured": True,
        "updated_at": row.updated_at,
    }


@transaction.atomic
def integration_save(
    *, integration_type: str, config: dict, is_active: bool = True
) -> IntegrationSetting:
    """Create or replace the active account's settings of one integration.

    Credentials go to the encrypted column. A credential sent back masked (as the API
    showed it) or left out keeps the stored one; an empty string removes it.
    """
    selectors.integration_type_check(integration_type)
    row = (
        IntegrationSetting.objects.select_for_update()
        .filter(integration_type=integration_type)
        .first()
    )
    secrets = dict(row.secret_values) if row else {}
    plain = {}
    for key, value in config.items():
        if key in SECRET_KEYS:
            if value == "":
                secrets.pop(key, None)
            elif isinstance(value, str) and not _is_masked(value, secrets.get(key)):
                secrets[key] = value
        else:
            plain[key] = value
    if plain.get("baseUrl"):
        urlguard.check(str(plain["baseUrl"]), field="config.baseUrl")
    if row is None:
        row = IntegrationSetting(
            account_id=tenancy.require().account_id, integration_type=integration_type
        )
    row.config = plain
    row.secret_values = secrets
    row.is_active = is_active
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # a concurrent first save of the same type
        return integration_save(
            integration_type=integration_type, config=config, is_active=is_active
        )
    return row


def integration_test(
    *, integration_type: str, provider: str | None = None, config: dict | None = None
) -> dict:
    """Call the provider for real (model list, or Runware authentication) with the saved
    credentials, or with `config` given in the request. Raises AIProviderError."""
    target = _target_for(integration_type, provider, config or {}, purpose="chat")
    if target.kind == OFFLINE:
        return {
            "provider": "offline",
            "message": "The offline provider is built in.",
            "models": IMAGE_MODELS["offline"],
        }
    if target.kind == RUNWARE:
        runware_api.check_key(target)
        return {"provider": "runware", "message": "Connection successful.", "models": []}
    models = openai_compat.list_models(target)
    message = f"Connection successful: {len(models)} models available."
    if target.model and models and target.model not in models:
        message += f" The configured model {target.model!r} is not among them."
    return {"provider": "openai", "message": message, "models": models[:100]}


def integration_generate(
    *,
    integration_type: str,
    prompt: str,
    provider: str | None = None,
    model: str | None = None,
    size: str = "1024x1024",
) -> dict:
    """Generate a test image with the integration's provider and store it under media/."""
    account_id = tenancy.require().account_id
    target = _target_for(integration_type, provider, {}, purpose=IMAGE, model=model)
    result = calls.generate_image_with(
        target, account_id=account_id, prompt=prompt, size=size, operation="integration_test"
    )
    # The provider's answer is as untrusted as an upload: stored only as a checked image.
    try:
        image = check_image(calls.image_bytes(result), max_bytes=20 * 1024 * 1024, max_side=8000)
    except ImageRefused as refused:
        raise errors.AIProviderError(
            f"The provider's image is {refused.message}",
            kind=errors.UNAVAILABLE,
            provider=result.provider,
        ) from refused
    name = media.store_image(image, folder=f"ai/test-images/{account_id}")
    return {
        "image_url": default_storage.url(name),
        "path": name,
        "provider": result.provider,
        "model": result.model,
        "offline": result.offline,
        "cost_usd": result.cost_usd,
        "revised_prompt": result.revised_prompt,
    }


def image_generation_settings(*, account_id: int) -> dict:
    """003 `system/integrations/image_generation/`: providers, their models, the default."""
    target = resolve(account_id=account_id, purpose=IMAGE)
    models = {name: list(choices) for name, choices in IMAGE_MODELS.items()}
    for row in selectors.image_models():
        models.setdefault(row.provider.name, [])
        if row.name not in models[row.provider.name]:
            models[row.provider.name].append(row.name)
    saved = selectors.integrations_saved()
    choice = saved.get(IntegrationSetting.Type.IMAGE_GENERATION)
    return {
        "providers": list(IMAGE_PROVIDERS),
        "models": models,
        "sizes": IMAGE_SIZES,
        "default": {
            "provider": target.provider,
            "model": target.model,
            "source": target.source,
            "offline": target.offline,
        },
        "config": integration_view(choice, "image_generation")["config"] if choice else {},
        "configured": {
            "openai": _has_key(saved, "openai") or bool(settings.OPENAI_API_KEY),
            "runware": _has_key(saved, "runware") or bool(settings.RUNWARE_API_KEY),
        },
        "prices": {name: price[2] for name, price in KNOWN_PRICES.items() if price[2] != "0"},
    }


def _target_for(integration_type, provider, overrides, *, purpose, model=None) -> Target:
    """The target the saved (or given) settings of one integration describe."""
    selectors.integration_type_check(integration_type)
    saved = {kind: row.full_config() for kind, row in selectors.integrations_saved().items()}
    choice = saved.get("image_generation", {})
    if provider is None:
        provider = integration_type if integration_type in ("openai", "runware") else None
        provider = provider or choice.get("provider") or "openai"
    if provider not in IMAGE_PROVIDERS:
        raise ApplicationError(
            "Unknown provider.", errors={"provider": [f"One of {', '.join(IMAGE_PROVIDERS)}."]}
        )
    if provider == "offline":
        return offline_target(purpose)
    config = {**saved.get(provider, {}), **_usable(overrides)}
    if integration_type == "image_generation":
        config = {**config, **{k: v for k, v in _usable(choice).items() if k != "provider"}}
    if config.get("baseUrl"):
        urlguard.check(str(config["baseUrl"]), field="config.baseUrl")
    if provider == "runware":
        key = config.get("apiKey") or settings.RUNWARE_API_KEY
        base_url = config.get("baseUrl") or settings.RUNWARE_BASE_URL
        name = model or config.get("model") or settings.RUNWARE_IMAGE_MODEL
        kind = RUNWARE
    else:
        key = config.get("apiKey") or settings.OPENAI_API_KEY
        base_url = config.get("baseUrl") or settings.OPENAI_BASE_URL
        default = config.get("imageModel") or settings.AI_IMAGE_MODEL
        if purpose != IMAGE:
            default = config.get("model") or settings.AI_CHAT_MODEL
        name = model or default
        kind = OPENAI_COMPATIBLE
        if integration_type == "image_generation" and purpose == IMAGE:
            name = model or choice.get("model") or default
    if not key and not (kind == OPENAI_COMPATIBLE and base_url):
        raise ApplicationError(
            f"No API key is configured for {provider}.",
            code="not_configured",
            errors={"apiKey": ["Save an API key first."]},
        )
    prices = KNOWN_PRICES.get(name, ("0", "0", "0"))
    return Target(
        kind=kind,
        provider=provider,
        model=name,
        base_url=base_url,
        api_key=key,
        source="integration",
        price_in=Decimal(prices[0]),
        price_out=Decimal(prices[1]),
        price_image=Decimal(prices[2]),
    )


def _usable(config: dict) -> dict:
    """Given values minus masked or empty credentials (those mean "the saved one")."""
    return {
        key: value
        for key, value in config.items()
        if value not in ("", None) and not (key in SECRET_KEYS and str(value).startswith("****"))
    }


def _has_key(saved: dict, integration_type: str) -> bool:
    row = saved.get(integration_type)
    return bool(row and row.is_active and row.secret_values.get("apiKey"))


def _is_masked(value: str, stored: str | None) -> bool:
    return value.startswith("********") and (stored is None or value == mask(stored))
