"""Plans with their monthly credits and limits, and the accounts' subscriptions to them."""

from django.db import models

from flowline.core.models import TimeStampedModel
from flowline.core.tenancy import TenantModel


class Plan(models.Model):
    """What an account pays for: a monthly credit grant and limits on what it may create."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    price_monthly = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="USD")
    monthly_credits = models.PositiveIntegerField(default=0)
    max_sites = models.PositiveIntegerField(default=1)
    max_users = models.PositiveIntegerField(default=1)
    max_keywords = models.PositiveIntegerField(default=1000)
    max_clusters = models.PositiveIntegerField(default=100)
    max_ideas = models.PositiveIntegerField(default=300)
    max_ai_requests = models.PositiveIntegerField(default=500)
    features = models.JSONField(default=list, blank=True)
    # Throttle rates by scope that replace the installation's for this plan's accounts,
    # e.g. {"user": "5000/min", "ai": "120/min"}; a scope not named keeps the default.
    rate_limits = models.JSONField(default=dict, blank=True)
    is_default = models.BooleanField(default=False, help_text="Given to new accounts.")
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "price_monthly"]

    def __str__(self) -> str:
        return self.name


class Subscription(TenantModel, TimeStampedModel):
    """An account's plan for a period. One active subscription per account."""

    class Status(models.TextChoices):
        TRIALING = "trialing", "Trialing"
        ACTIVE = "active", "Active"
        PAST_DUE = "past_due", "Past due"
        CANCELED = "canceled", "Canceled"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    current_period_start = models.DateTimeField()
    current_period_end = models.DateTimeField()
    cancel_at_period_end = models.BooleanField(default=False)
    # A plan change waits for the period's end (no proration): renewal switches to it.
    pending_plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    external_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.plan_id} ({self.status})"
