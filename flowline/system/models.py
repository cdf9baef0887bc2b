"""Settings at four levels: the installation, an account (general and AI), a module, a user."""

from django.conf import settings
from django.db import models

from flowline.core.models import TimeStampedModel
from flowline.core.tenancy import TenantModel


class SystemSetting(TimeStampedModel):
    """An installation-wide value that staff set (e.g. maintenance banner, defaults)."""

    key = models.CharField(max_length=100, unique=True)
    value = models.JSONField(default=dict, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class AccountSetting(TenantModel, TimeStampedModel):
    """An account-wide value; `namespace` separates general settings from AI settings."""

    class Namespace(models.TextChoices):
        GENERAL = "general", "General"
        AI = "ai", "AI"

    namespace = models.CharField(max_length=20, choices=Namespace.choices, editable=False)
    key = models.CharField(max_length=100)
    value = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "namespace", "key"], name="account_setting_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.namespace}:{self.key}"


class ModuleSetting(TenantModel, TimeStampedModel):
    """Whether a module (planner, writer, social, ...) is on for an account, and its config."""

    module_name = models.CharField(max_length=50)
    enabled = models.BooleanField(default=True)
    config = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["module_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "module_name"], name="module_setting_unique_module"
            )
        ]

    def __str__(self) -> str:
        return self.module_name


class UserSetting(TenantModel, TimeStampedModel):
    """A user's own value inside an account (table layouts, default site, ...)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="settings"
    )
    key = models.CharField(max_length=100)
    value = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "user", "key"], name="user_setting_unique_key"
            )
        ]

    def __str__(self) -> str:
        return self.key


class GiteaDelivery(models.Model):
    """A signed Gitea webhook delivery (003 `POST system/webhook/`), recorded once: the
    unique delivery id is what refuses a replay."""

    delivery_id = models.CharField(max_length=100, unique=True)
    event = models.CharField(max_length=50)
    repository = models.CharField(max_length=255, blank=True)
    ref = models.CharField(max_length=255, blank=True)
    action = models.CharField(max_length=50, blank=True)
    sender = models.CharField(max_length=255, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name_plural = "Gitea deliveries"

    def __str__(self) -> str:
        return f"{self.event} {self.repository} ({self.delivery_id})"
