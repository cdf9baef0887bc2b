"""What other apps may use of the AI engine: the gateway, its errors, prompts, metering.

from flowline.ai import public as ai
result = ai.chat(account_id=..., messages=[...], operation="generate_ideas", job_id=job.id)
"""

from flowline.ai.gateway import (
    OFFLINE_NOTE,
    AIProviderError,
    AIUsage,
    ChatResult,
    ImageResult,
    chat,
    embed,
    generate_image,
    image_bytes,
    register_usage_listener,
    unregister_usage_listener,
)
from flowline.ai.services.offline_embeddings import PackagedModel, packaged_model
from flowline.ai.services.prompts import prompt_render, prompt_text

__all__ = [
    "OFFLINE_NOTE",
    "AIProviderError",
    "AIUsage",
    "ChatResult",
    "ImageResult",
    "PackagedModel",
    "chat",
    "embed",
    "generate_image",
    "image_bytes",
    "packaged_model",
    "prompt_render",
    "prompt_text",
    "register_usage_listener",
    "unregister_usage_listener",
]


def usage_for_job(job_id) -> dict:
    """What a job's AI calls cost: provider dollars, tokens, the last model (for billing)."""
    from django.db.models import Sum

    from flowline.ai.models import AICall

    calls = AICall.unscoped.filter(job_id=job_id, status=AICall.Status.SUCCEEDED)
    totals = calls.aggregate(
        cost=Sum("cost_usd"), tokens_in=Sum("tokens_in"), tokens_out=Sum("tokens_out")
    )
    last = calls.order_by("-id").values_list("model", flat=True).first()
    return {
        "cost_usd": totals["cost"] or 0,
        "tokens_in": totals["tokens_in"] or 0,
        "tokens_out": totals["tokens_out"] or 0,
        "model": last or "",
    }


def agent_create(*, account_id: int, name: str, description: str = "") -> int:
    """A new agent of the account with no instructions of its own and no model (the
    account's default model answers): what an agent process needs when its creator
    names no agent (004's `admin/processes` body has none). Returns its id."""
    from flowline.ai.models import AIAgent

    return AIAgent.unscoped.create(account_id=account_id, name=name, description=description).id


def embeddings_configured(account_id: int) -> bool:
    """Whether a real embedding model answers for the account (not the offline one), so
    a caller can choose its own fallback, as the planner's TF-IDF clustering does."""
    from flowline.ai.gateway.resolve import EMBEDDING, resolve

    return not resolve(account_id=account_id, purpose=EMBEDDING).offline


def agent_model_set(*, agent_id: int, model_id: int) -> tuple[int, str] | None:
    """Point an AI agent of the active account at one of its models: the model's id and
    name, or None when the account has no such model."""
    from flowline.ai.models import AIAgent, AIModel

    model = AIModel.objects.filter(id=model_id).first()
    if model is None:
        return None
    agent = AIAgent.objects.get(id=agent_id)
    agent.model = model
    agent.save(update_fields=["model", "updated_at"])
    return model.id, model.name


def author_profile_default(account_id: int):
    """The account's first active author profile (by name), or None."""
    from flowline.ai.models import AuthorProfile

    profiles = AuthorProfile.unscoped.filter(account_id=account_id, is_active=True)
    return profiles.order_by("name", "id").first()


def strategy_default(account_id: int):
    """The account's first active content strategy (by name), or None."""
    from flowline.ai.models import Strategy

    strategies = Strategy.unscoped.filter(account_id=account_id, is_active=True)
    return strategies.order_by("name", "id").first()
