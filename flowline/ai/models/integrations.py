"""003 integration settings (`openai`, `runware`, `image_generation`) and the AI usage log."""

from __future__ import annotations

import json
from decimal import Decimal

from django.db import models

from flowline.core.fields import EncryptedTextField
from flowline.core.models import TimeStampedModel
from flowline.core.tenancy import TenantModel

# Config keys whose values are credentials: kept encrypted, shown masked.
SECRET_KEYS = frozenset({"apiKey", "api_key", "secret", "token", "password"})


class IntegrationSetting(TenantModel, TimeStampedModel):
    """One account's configuration of one integration, addressed by its type.

    `config` holds the plain settings (model, size, ...); the credentials in it
    (`apiKey` and the other `SECRET_KEYS`) live encrypted in `secrets` and are merged
    back only inside the gateway.
    """

    class Type(models.TextChoices):
        OPENAI = "openai", "OpenAI-compatible"
        RUNWARE = "runware", "Runware"
        IMAGE_GENERATION = "image_generation", "Image generation"

    integration_type = models.CharField(max_length=50, choices=Type.choices)
    config = models.JSONField(default=dict, blank=True)
    secrets = EncryptedTextField(blank=True, default="")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["integration_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "integration_type"], name="ai_integration_unique_type"
            )
        ]

    def __str__(self) -> str:
        return self.integration_type

    @property
    def secret_values(self) -> dict[str, str]:
        return json.loads(self.secrets) if self.secrets else {}

    @secret_values.setter
    def secret_values(self, values: dict[str, str]) -> None:
        self.secrets = json.dumps(values, sort_keys=True) if values else ""

    def full_config(self) -> dict:
        """Plain config with the decrypted credentials: for the gateway, never for a response."""
        return {**self.config, **self.secret_values}


class AICall(TenantModel):
    """One call to an AI provider: who, what, how long, how many tokens, what it cost."""

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    job_id = models.UUIDField(null=True, blank=True, db_index=True)
    operation = models.CharField(max_length=60)
    provider = models.CharField(max_length=100)
    model = models.CharField(max_length=150, blank=True)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    images = models.PositiveIntegerField(default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=14, decimal_places=6, default=Decimal(0))
    offline = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUCCEEDED)
    error = models.TextField(blank=True)
    error_kind = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.operation} via {self.provider}/{self.model}"
