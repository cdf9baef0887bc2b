"""Reads of the ai app: the account's agents, saved integration settings and image
models."""

from __future__ import annotations

from django.db.models import QuerySet

from flowline.ai.models import AIAgent, AIModel, IntegrationSetting
from flowline.core.errors import ApplicationError

TYPES = tuple(IntegrationSetting.Type.values)


def agent_exists(*, agent_id: int) -> bool:
    """Whether the active account has the agent `agent_id`."""
    return AIAgent.objects.filter(id=agent_id).exists()


def integration_type_check(integration_type: str) -> None:
    """A 404 for an integration type Flowline does not know."""
    if integration_type not in TYPES:
        raise ApplicationError(
            f"Unknown integration type {integration_type!r}.",
            code="not_found",
            status=404,
            errors={"integration_type": [f"One of {', '.join(TYPES)}."]},
        )


def integration_get(*, integration_type: str) -> IntegrationSetting | None:
    """The active account's saved settings of one integration, or None (404 for an
    unknown type)."""
    integration_type_check(integration_type)
    return IntegrationSetting.objects.filter(integration_type=integration_type).first()


def integrations_saved() -> dict[str, IntegrationSetting]:
    """Every integration the active account saved, by type (one query)."""
    return {row.integration_type: row for row in IntegrationSetting.objects.all()}


def image_models() -> QuerySet:
    """The account's image models, each with its provider joined."""
    return AIModel.objects.filter(purpose=AIModel.Purpose.IMAGE).select_related("provider")
