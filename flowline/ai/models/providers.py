"""000 automations: LLM providers, the models they serve, and the agents that use them."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from flowline.core.fields import EncryptedTextField
from flowline.core.models import TimeStampedModel
from flowline.core.tenancy import TenantModel


class LLMProvider(TenantModel, TimeStampedModel):
    """An AI service an account calls: an OpenAI-compatible API, Runware, or offline.

    The API key is encrypted at rest and never returned in clear. The account's default
    active provider answers calls that name no model.
    """

    class Kind(models.TextChoices):
        OPENAI_COMPATIBLE = "openai_compatible", "OpenAI-compatible"
        RUNWARE = "runware", "Runware"
        OFFLINE = "offline", "Offline (built in)"

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    base_url = models.URLField(max_length=300, blank=True)
    api_key = EncryptedTextField(blank=True)
    is_active = models.BooleanField(default=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="ai_provider_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class AIModel(TenantModel, TimeStampedModel):
    """A model one provider serves, with its purpose and prices (for cost tracking)."""

    class Purpose(models.TextChoices):
        CHAT = "chat", "Chat"
        EMBEDDING = "embedding", "Embedding"
        IMAGE = "image", "Image"

    provider = models.ForeignKey(LLMProvider, on_delete=models.CASCADE, related_name="models")
    name = models.CharField(max_length=150, help_text="The provider's model id, e.g. gpt-4o.")
    display_name = models.CharField(max_length=150, blank=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.CHAT)
    cost_per_1k_input = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal(0))
    cost_per_1k_output = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal(0))
    cost_per_image = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal(0))
    is_default = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["provider_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "provider", "name", "purpose"], name="ai_model_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.name


class AIAgent(TenantModel, TimeStampedModel):
    """Instructions plus a model: what an automation runs (the jobs layer runs agent tasks)."""

    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    instructions = models.TextField(blank=True)
    model = models.ForeignKey(
        AIModel, on_delete=models.SET_NULL, null=True, blank=True, related_name="agents"
    )
    temperature = models.FloatField(default=0.7)
    settings = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
