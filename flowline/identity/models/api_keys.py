"""API keys for server-to-server clients: hashed at rest, scoped, expiring, revocable."""

from django.conf import settings
from django.db import models

from flowline.core.models import TimeStampedModel
from flowline.core.tenancy import TenantModel


class ApiKey(TenantModel, TimeStampedModel):
    """A secret a server presents as `Authorization: Api-Key <key>`.

    Only a SHA-256 of the secret is stored; the key is shown once, at creation.
    `scopes` are `<module>:read|write` strings (`*:read` for every module).
    """

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    hashed_secret = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class ApiKeyUsage(models.Model):
    """One request made with an API key: what, when, from where, with what result."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="usage")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    status_code = models.PositiveSmallIntegerField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "API key usage"

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status_code}"
