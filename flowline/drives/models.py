"""A user's OAuth connection to a cloud drive, and the files saved into agents' context."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from flowline.core.fields import EncryptedTextField
from flowline.core.tenancy import TenantModel
from flowline.drives.cloud_files import GOOGLE_DRIVE, ONEDRIVE


class Provider(models.TextChoices):
    GOOGLE_DRIVE = GOOGLE_DRIVE, "Google Drive"
    ONEDRIVE = ONEDRIVE, "OneDrive"


class CloudConnection(TenantModel):
    """One user's tokens for one provider in one account (encrypted at rest).

    `expired` means the provider refused a refresh: the user must connect again.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cloud_connections"
    )
    provider = models.CharField(max_length=20, choices=Provider.choices)
    access_token = EncryptedTextField()
    refresh_token = EncryptedTextField(blank=True, default="")
    expires_at = models.DateTimeField(null=True, blank=True)
    scope = models.TextField(blank=True, default="")
    account_email = models.EmailField(blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["provider", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "user", "provider"], name="drives_one_connection_per_provider"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} of user {self.user_id} ({self.status})"


class SavedCloudFile(TenantModel):
    """A cloud file a user chose for an agent's context (`process_id` is the agents app's
    process id, kept as a plain integer so this app does not depend on agents)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_cloud_files"
    )
    provider = models.CharField(max_length=20, choices=Provider.choices)
    file_id = models.CharField(max_length=255)
    name = models.CharField(max_length=512)
    mime_type = models.CharField(max_length=255, blank=True, default="")
    process_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "provider", "file_id"])]

    def __str__(self) -> str:
        return self.name
