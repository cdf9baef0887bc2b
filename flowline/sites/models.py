"""Sites/brands, the sectors they target, and per-site access grants."""

from django.conf import settings
from django.db import models

from flowline.core.fields import EncryptedTextField
from flowline.core.models import TimeStampedModel
from flowline.core.richtext import RichTextField
from flowline.core.tenancy import TenantModel


class Site(TenantModel, TimeStampedModel):
    """A website or brand of an account.

    Syncflow's brands and IGNY8's sites are this one model: it carries the brand voice
    and logo as well as the WordPress connection (application password encrypted).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    url = models.URLField(blank=True)
    description = RichTextField(blank=True)
    logo = models.ImageField(upload_to="site-logos/", blank=True)
    voice = models.TextField(blank=True, help_text="Brand voice and tone for generated content.")
    industry = models.ForeignKey(
        "reference.Industry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    wp_url = models.URLField(blank=True)
    wp_username = models.CharField(max_length=150, blank=True)
    wp_app_password = EncryptedTextField(blank=True)

    tenant_site_lookup = "id"

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "slug"], name="site_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class Sector(TenantModel, TimeStampedModel):
    """A niche a site targets; planner and writer work is filed under one."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="sectors")
    industry_sector = models.ForeignKey(
        "reference.IndustrySector",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    is_active = models.BooleanField(default=True)

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["site_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "slug"], name="sector_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class SiteUserAccess(TenantModel, TimeStampedModel):
    """Grants a member restricted to some sites access to one more."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="site_grants"
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="access_grants")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["-id"]
        verbose_name = "site access grant"
        constraints = [
            models.UniqueConstraint(fields=["user", "site"], name="site_access_unique"),
        ]
