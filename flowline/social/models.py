"""Connected social accounts (001 SellFlow and 000 Syncflow social accounts are this one model)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from flowline.core.fields import EncryptedTextField
from flowline.core.models import TimeStampedModel
from flowline.core.tenancy import TenantModel


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook page"
    INSTAGRAM = "instagram", "Instagram business"
    TWITTER = "twitter", "X (Twitter)"
    LINKEDIN = "linkedin", "LinkedIn"
    WHATSAPP = "whatsapp", "WhatsApp Business"


class SocialAccount(TenantModel, TimeStampedModel):
    """One publishing identity on one platform: a Facebook page, an Instagram business
    account, an X user, a LinkedIn member or organization, a WhatsApp phone number.

    Tokens are encrypted at rest and never leave through the API. `external_id` is the
    platform's id of the identity (page id, IG user id, X user id, LinkedIn URN, phone
    number id); reconnecting the same identity updates this row, so posts keep pointing
    at it. `status`: `active`; `expired` / `revoked` when the platform refused the token
    (the owner must reconnect); `error` when something else keeps failing.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"
        ERROR = "error", "Error"
        DISCONNECTED = "disconnected", "Disconnected"

    site = models.ForeignKey(
        "sites.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="social_accounts",
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    external_id = models.CharField(max_length=255)
    name = models.CharField(max_length=255, blank=True, default="")
    username = models.CharField(max_length=255, blank=True, default="")
    profile_url = models.URLField(max_length=500, blank=True, default="")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.ACTIVE)
    access_token = EncryptedTextField()
    refresh_token = EncryptedTextField(blank=True, default="")
    token_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    scope = models.TextField(blank=True, default="")
    # Platform details needed to publish: the page an Instagram account hangs off, the
    # WhatsApp business account of a phone number, the LinkedIn author URN.
    meta = models.JSONField(default=dict, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="social_accounts",
    )
    last_error = models.TextField(blank=True, default="")
    last_refreshed_at = models.DateTimeField(null=True, blank=True)
    # When a refresh failed transiently: not before this time again (backoff, no disconnect).
    refresh_retry_at = models.DateTimeField(null=True, blank=True)
    refresh_failures = models.PositiveSmallIntegerField(default=0)
    # Set when the reconnect notice went out; cleared when the account is reconnected,
    # so a dead account is announced exactly once.
    reconnect_notified_at = models.DateTimeField(null=True, blank=True)

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["platform", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "platform", "external_id"],
                name="social_account_unique_identity",
            )
        ]
        indexes = [models.Index(fields=["account", "platform", "status"])]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.name or self.external_id}"

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.ACTIVE
