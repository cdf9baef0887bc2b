"""Social posts (001 Social): a post with per-platform variants, the social accounts it
goes to (one PostTarget each, with its own publishing state), posting time slots, and
the per-social-account pacing the scheduler keeps after a platform asked it to slow down.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from flowline.core.models import TimeStampedModel
from flowline.core.tenancy import TenantModel


class Post(TenantModel, TimeStampedModel):
    """One message for one or more social accounts.

    `text`, `media` and `link` are the default content; a `PostVariant` replaces them
    for one platform. `status` is derived from the targets' states
    (`services.posts.post_sync_status`) and never written by a client.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING_APPROVAL = "pending_approval", "Pending approval"
        APPROVED = "approved", "Approved"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHING = "publishing", "Publishing"
        PUBLISHED = "published", "Published"
        PARTIALLY_PUBLISHED = "partially_published", "Partially published"
        FAILED = "failed", "Failed"
        MISSED = "missed", "Missed"

    class Approval(models.TextChoices):
        NONE = "none", "Not submitted"
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    site = models.ForeignKey(
        "sites.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    media = models.JSONField(default=list, blank=True)
    link = models.URLField(max_length=1000, blank=True)
    requires_approval = models.BooleanField(default=False)
    approval = models.CharField(max_length=10, choices=Approval.choices, default=Approval.NONE)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.CharField(max_length=500, blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "status"])]

    def __str__(self) -> str:
        return self.title or (self.text[:60] if self.text else f"post {self.id}")


class PostVariant(TenantModel):
    """The post's content for one platform (its own text, media and link)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    platform = models.CharField(max_length=20)
    text = models.TextField(blank=True)
    media = models.JSONField(default=list, blank=True)
    link = models.URLField(max_length=1000, blank=True)

    class Meta:
        ordering = ["platform"]
        constraints = [
            models.UniqueConstraint(fields=["post", "platform"], name="posts_variant_platform"),
        ]

    def __str__(self) -> str:
        return f"{self.platform} variant of post {self.post_id}"


class PostTarget(TenantModel, TimeStampedModel):
    """The post on one social account: its own state, attempts, result and metrics.

    The scheduler claims due rows (`next_attempt_at <= now`) and marks them `publishing`
    with a fresh `claim_token` in the claiming transaction; only the holder of the token
    records the outcome. A `publishing` row whose claim is older than the lease belongs
    to a worker that died: it is settled with the platform's `find_published`, never
    sent again blindly. `unknown` (timed out after sending) is settled the same way.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHING = "publishing", "Publishing"
        RETRYING = "retrying", "Retrying"
        UNKNOWN = "unknown", "Unknown outcome"
        PUBLISHED = "published", "Published"
        FAILED = "failed", "Failed"
        MISSED = "missed", "Missed"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="targets")
    social_account = models.ForeignKey(
        "social.SocialAccount", on_delete=models.CASCADE, related_name="+"
    )
    platform = models.CharField(max_length=20)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=5)
    # When this round of publishing was due (the schedule, or the moment of a manual
    # retry): "missed" is measured from here.
    due_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    # When the first send of this round started: what find_published searches from.
    sent_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=255, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    error_code = models.CharField(max_length=50, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    metrics_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["post_id", "platform", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "social_account"], name="posts_target_social_account"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="posts_target_due"),
            models.Index(
                fields=["metrics_updated_at"],
                condition=Q(status="published"),
                name="posts_target_metrics",
            ),
        ]

    def __str__(self) -> str:
        return f"post {self.post_id} on {self.platform} ({self.status})"


class PostingSlot(TenantModel):
    """A time of the week a social account likes to post at (e.g. Monday 09:30 in
    Europe/Paris); "next free slot" scheduling picks the earliest one not yet taken."""

    social_account = models.ForeignKey(
        "social.SocialAccount", on_delete=models.CASCADE, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(help_text="0 = Monday … 6 = Sunday")
    time = models.TimeField()
    timezone = models.CharField(max_length=64, default="UTC")

    class Meta:
        ordering = ["social_account_id", "weekday", "time"]
        constraints = [
            models.UniqueConstraint(
                fields=["social_account", "weekday", "time"], name="posts_slot_unique"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="posts_slot_weekday"),
        ]

    def __str__(self) -> str:
        return f"slot {self.weekday} {self.time} ({self.timezone})"


class SocialAccountPace(TenantModel):
    """Until when the scheduler leaves a social account alone after a transient error
    (a 429's Retry-After, or backoff): every due target of the account waits, so one
    rate-limited account never gets a storm of retries."""

    social_account = models.OneToOneField(
        "social.SocialAccount", on_delete=models.CASCADE, related_name="+"
    )
    paused_until = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"account {self.social_account_id} paused until {self.paused_until}"
