"""Marketing campaigns (000 Syncflow campaigns): a window of time with the social posts
and the articles that belong to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from flowline.core.models import TimeStampedModel
from flowline.core.richtext import RichTextField
from flowline.core.tenancy import TenantModel


class Campaign(TenantModel, TimeStampedModel):
    """A campaign runs from `starts_at` to `ends_at`.

    `status` is the system's: `draft` until a window is scheduled, `scheduled` until it
    starts, `running` inside it, `completed` after it (or when ended early). The beat
    task `campaigns.advance` moves campaigns along as their window passes.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"

    site = models.ForeignKey(
        "sites.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200)
    description = RichTextField(blank=True)
    goal = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    posts = models.ManyToManyField("posts.Post", blank=True, related_name="campaigns")
    contents = models.ManyToManyField("writer.Content", blank=True, related_name="campaigns")

    # Members restricted to some sites see those sites' campaigns.
    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["status", "ends_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="campaign_window_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name
