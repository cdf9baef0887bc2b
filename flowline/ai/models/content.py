"""003 System module: prompts, author profiles and strategies that shape generated content."""

from __future__ import annotations

from django.db import models

from flowline.core.models import TimeStampedModel
from flowline.core.tenancy import TenantModel


class Prompt(TenantModel, TimeStampedModel):
    """An account's own text for one prompt type; without a row the shipped default is used."""

    prompt_type = models.CharField(max_length=50)
    prompt_value = models.TextField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["prompt_type"]
        constraints = [
            models.UniqueConstraint(fields=["account", "prompt_type"], name="ai_prompt_unique_type")
        ]

    def __str__(self) -> str:
        return self.prompt_type


class AuthorProfile(TenantModel, TimeStampedModel):
    """A writing voice: tone, language and structure that content generation follows."""

    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    tone = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=20, default="en")
    structure_template = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Strategy(TenantModel, TimeStampedModel):
    """A content strategy: sections and rules that ideas and content are built from."""

    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    sections = models.JSONField(default=list, blank=True)
    rules = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.name
