"""Subscribed endpoints and every delivery made to them (the delivery log)."""

import uuid

from django.db import models

from flowline.core.fields import EncryptedTextField
from flowline.core.models import TimeStampedModel
from flowline.core.tenancy import TenantModel


class WebhookEndpoint(TenantModel, TimeStampedModel):
    """A URL an account wants events POSTed to, signed with its own secret."""

    url = models.URLField(max_length=500)
    description = models.CharField(max_length=255, blank=True)
    secret = EncryptedTextField()
    event_types = models.JSONField(default=list, help_text='Event names, or ["*"] for all.')
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        """True when the endpoint subscribed to `event_type` (or to everything)."""
        return "*" in self.event_types or event_type in self.event_types


class WebhookDelivery(TenantModel):
    """One event for one endpoint: attempts, the last answer, and when to try again."""

    class Status(models.TextChoices):
        # due now, or (with next_attempt_at in the future) an attempt in progress
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        # an attempt failed; the next one is at next_attempt_at
        RETRYING = "retrying", "Retrying"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    event_type = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=6)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response_body = models.TextField(blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            # The log newest first, per endpoint and per status (issue 18).
            models.Index(
                fields=["account", "-created_at", "-id"], name="webhook_delivery_account_new"
            ),
            models.Index(
                fields=["endpoint", "-created_at", "-id"], name="webhook_delivery_endpoint_new"
            ),
            models.Index(
                fields=["account", "status", "-created_at", "-id"],
                name="webhook_delivery_status_new",
            ),
        ]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"
