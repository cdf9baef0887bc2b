"""Analytics (001 Analytics, 000 analytics): tracked events, their daily rollups, the
numbers platforms report, and where each account's rollup stands."""

from django.db import models
from django.db.models import Q

from flowline.core.tenancy import TenantModel

# Rollup rows whose platform or event type is ALL total every platform or type of their
# day and site: distinct sessions cannot be summed from finer rows, so they are kept here.
ALL = "*"


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    TWITTER = "twitter", "Twitter / X"
    WHATSAPP = "whatsapp", "WhatsApp"
    WEB = "web", "Web"
    OTHER = "other", "Other"


# The event types the dashboard and funnel name; any other type matching the pattern in
# `flowline.analytics.validation` is stored and counted too.
PAGE_VIEW = "page_view"
PRODUCT_VIEW = "product_view"
ADD_TO_CART = "add_to_cart"
CHECKOUT_STARTED = "checkout_started"
PURCHASE = "purchase"
MESSAGE_RECEIVED = "message_received"
POST_PUBLISHED = "post_published"
POST_ENGAGEMENT = "post_engagement"
KEY_EVENT_TYPES = (
    PAGE_VIEW,
    PRODUCT_VIEW,
    ADD_TO_CART,
    CHECKOUT_STARTED,
    PURCHASE,
    MESSAGE_RECEIVED,
    POST_PUBLISHED,
    POST_ENGAGEMENT,
)
ENGAGEMENT_EVENT_TYPES = (POST_ENGAGEMENT, MESSAGE_RECEIVED)


class AnalyticsEvent(TenantModel):
    """One thing a customer or a channel did, as a tracker reported it.

    `occurred_at` is the client's time (what reports group by); `received_at` is ours.
    `event_id` is the client's id for the event: a retried batch stores it once.
    """

    event_id = models.UUIDField(null=True, blank=True)
    event_type = models.CharField(max_length=50)
    platform = models.CharField(max_length=20, choices=Platform.choices, default=Platform.WEB)
    site = models.ForeignKey(
        "sites.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session_id = models.CharField(max_length=64, blank=True)
    customer_id = models.CharField(max_length=64, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    properties = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField()

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["account", "occurred_at"], name="analytics_event_time"),
            models.Index(
                fields=["account", "event_type", "occurred_at"], name="analytics_event_type_time"
            ),
            models.Index(
                fields=["account", "platform", "occurred_at"], name="analytics_event_platform"
            ),
            # The event log's `?site=` filter in its order (issue 18).
            models.Index(
                fields=["account", "site", "occurred_at"], name="analytics_event_site_time"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "event_id"],
                condition=Q(event_id__isnull=False),
                name="analytics_event_unique_client_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} on {self.platform} at {self.occurred_at:%Y-%m-%d %H:%M}"


class DailyRollup(TenantModel):
    """A row of one day (UTC), site and platform that a rollup job writes.

    A day's rows are keyed by the account, date, site, platform and the rollup's own key;
    `site` is empty for rows over all sites, so the key is held by two partial unique
    constraints (a NULL site would never clash in one): see `unique_per_day`.
    """

    date = models.DateField()
    site = models.ForeignKey(
        "sites.Site", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    platform = models.CharField(max_length=20)

    tenant_site_lookup = "site_id"

    class Meta:
        abstract = True


def unique_per_day(key: str, *, name: str) -> list[models.UniqueConstraint]:
    """The constraints that keep one `DailyRollup` row per account, day, site (or none),
    platform and `key`, named `<name>_site` and `<name>`."""
    return [
        models.UniqueConstraint(
            fields=["account", "date", "site", "platform", key],
            condition=Q(site__isnull=False),
            name=f"{name}_site",
        ),
        models.UniqueConstraint(
            fields=["account", "date", "platform", key],
            condition=Q(site__isnull=True),
            name=name,
        ),
    ]


class DailyMetric(DailyRollup):
    """Events of one day (UTC), site, platform and type, rolled up by a job.

    Rows with platform and/or event type `ALL` carry the day's totals and its distinct
    sessions. A day's rows are replaced as a whole when it is recomputed.
    """

    event_type = models.CharField(max_length=50)
    count = models.PositiveIntegerField(default=0)
    value_sum = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    unique_sessions = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["date", "platform", "event_type"]
        indexes = [models.Index(fields=["account", "date"], name="analytics_daily_date")]
        constraints = unique_per_day("event_type", name="analytics_daily_unique")

    def __str__(self) -> str:
        return f"{self.date} {self.platform}/{self.event_type}: {self.count}"


class DailySessionSteps(DailyRollup):
    """How many sessions of one day (UTC), site and platform did exactly the set of key
    event types `steps` (a bit per type of `KEY_EVENT_TYPES`, in that order).

    The funnel reads these instead of raw events: a few dozen sets per day, whatever the
    volume. Rows with platform `ALL` count each session once over all its platforms.
    Replaced with the day's `DailyMetric` rows.
    """

    steps = models.PositiveIntegerField()
    sessions = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["date", "platform", "steps"]
        indexes = [models.Index(fields=["account", "date"], name="analytics_steps_date")]
        constraints = unique_per_day("steps", name="analytics_steps_unique")

    def __str__(self) -> str:
        return f"{self.date} {self.platform} steps {self.steps:b}: {self.sessions}"


class PlatformMetric(TenantModel):
    """What a platform reports about an account's presence on one day (followers, reach);
    the social apps write these through `flowline.analytics.public`."""

    date = models.DateField()
    platform = models.CharField(max_length=20, choices=Platform.choices)
    site = models.ForeignKey(
        "sites.Site", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    followers = models.PositiveIntegerField(default=0)
    reach = models.PositiveIntegerField(default=0)
    impressions = models.PositiveIntegerField(default=0)
    engagement = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["-date", "platform"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "date", "site", "platform"],
                condition=Q(site__isnull=False),
                name="analytics_platform_unique_site",
            ),
            models.UniqueConstraint(
                fields=["account", "date", "platform"],
                condition=Q(site__isnull=True),
                name="analytics_platform_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.date}"


class RollupState(TenantModel):
    """Where an account's rollups stand: days from `dirty_from` on may lack events that
    arrived since the last run, so reads aggregate those days live. Every ingestion bumps
    `version`; a rollup marks the account clean only if no ingestion happened meanwhile."""

    dirty_from = models.DateField(null=True, blank=True)
    version = models.BigIntegerField(default=0)
    rolled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account"], name="analytics_rollup_state_account")
        ]

    def __str__(self) -> str:
        return f"rollup of account {self.account_id}: dirty from {self.dirty_from}"
