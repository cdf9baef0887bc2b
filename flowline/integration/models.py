"""A site's WordPress connection, what was published through it, and the publish queue.

- SiteIntegration: one per site and platform; the application password and the inbound
  webhook secret are encrypted at rest and never returned by the API.
- PublishRecord: one per (integration, content): the WordPress post id once known, so a
  re-publish updates the same post. `attempt_token` is written before a create is sent
  and is in the new post's content until the post is filled in, so an attempt whose
  answer never came is settled by looking the post up, never by creating it again.
  `remote_modified_gmt` and `published_version` are the post as Flowline last wrote it:
  a later change on WordPress is a conflict a re-publish does not overwrite silently.
- PublishQueueItem: "publish this content at this time" (002 Publisher); claimed by
  the scheduler with `select_for_update(skip_locked=True)` and published once.
- SyncEvent: the integration's log (tests, syncs, publishes, inbound webhooks). An
  inbound webhook's event id is stored here in the same transaction as its effect, so a
  replay changes nothing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from flowline.core.fields import EncryptedTextField
from flowline.core.models import TimeStampedModel
from flowline.core.tenancy import TenantModel


class SiteIntegration(TenantModel, TimeStampedModel):
    """A site's connection to its WordPress (REST API + application password)."""

    class Platform(models.TextChoices):
        WORDPRESS = "wordpress", "WordPress"

    class SyncStatus(models.TextChoices):
        NEVER = "never", "Never synced"
        SYNCING = "syncing", "Syncing"
        SUCCESS = "success", "Success"
        FAILED = "failed", "Failed"

    class PostStatus(models.TextChoices):
        PUBLISH = "publish", "Publish"
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Pending review"
        PRIVATE = "private", "Private"

    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    platform = models.CharField(max_length=20, choices=Platform.choices, default=Platform.WORDPRESS)
    base_url = models.URLField(max_length=500)
    username = models.CharField(max_length=150)
    app_password = EncryptedTextField()
    # Signs inbound webhooks from the site (HMAC); shown once, at creation or rotation.
    webhook_secret = EncryptedTextField()
    is_active = models.BooleanField(default=True)
    # The status posts get on WordPress unless a publish asks for another.
    post_status = models.CharField(
        max_length=10, choices=PostStatus.choices, default=PostStatus.PUBLISH
    )
    sync_status = models.CharField(
        max_length=10, choices=SyncStatus.choices, default=SyncStatus.NEVER
    )
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    # What the site has: post types, taxonomies, counts (from a sync or the site itself).
    structure = models.JSONField(default=dict, blank=True)

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "platform"], name="integration_one_per_site_platform"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.base_url}"


class PublishRecord(TenantModel, TimeStampedModel):
    """Where one piece of content went on one integration, and how the last try went."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PUBLISHING = "publishing", "Publishing"
        PUBLISHED = "published", "Published"
        FAILED = "failed", "Failed"
        # the last create got no answer: the post may exist; the next try looks first
        UNKNOWN = "unknown", "Unknown"
        # the post changed on WordPress; the last publish refused to overwrite it
        CONFLICT = "conflict", "Conflict"
        # Flowline took the post down (to a draft or the trash)
        UNPUBLISHED = "unpublished", "Unpublished"

    integration = models.ForeignKey(
        SiteIntegration, on_delete=models.CASCADE, related_name="records"
    )
    content = models.ForeignKey(
        "writer.Content", on_delete=models.CASCADE, related_name="publish_records"
    )
    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    external_id = models.CharField(max_length=64, blank=True, db_index=True)
    url = models.URLField(max_length=500, blank=True)
    post_status = models.CharField(max_length=20, blank=True)
    attempt_token = models.CharField(max_length=64, blank=True)
    # Another worker is publishing this record until then.
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Images in the media library, by local file name: {name: {id, url, post, sha256}}.
    media = models.JSONField(default=dict, blank=True)
    # Media ids the post no longer uses whose deletion has yet to succeed.
    orphan_media = models.JSONField(default=list, blank=True)
    # What the site last told us about the post (status and metadata webhooks, syncs).
    remote = models.JSONField(default=dict, blank=True)
    # The post's `modified_gmt` after Flowline's last write, and what it looked like then
    # (title, status, slug, excerpt, content hash, terms, featured image, slug sent).
    remote_modified_gmt = models.DateTimeField(null=True, blank=True)
    published_version = models.JSONField(default=dict, blank=True)
    # What changed on WordPress since then, once known ({} when nothing is known).
    conflict = models.JSONField(default=dict, blank=True)

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "content"], name="publish_record_one_per_content"
            ),
        ]

    def __str__(self) -> str:
        return f"content {self.content_id} on {self.integration_id} ({self.status})"


class PublishQueueItem(TenantModel, TimeStampedModel):
    """Content to publish at `scheduled_at` (now when not given)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        PUBLISHING = "publishing", "Publishing"
        PUBLISHED = "published", "Published"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    integration = models.ForeignKey(
        SiteIntegration, on_delete=models.CASCADE, related_name="queue_items"
    )
    content = models.ForeignKey("writer.Content", on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(
        PublishRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post_status = models.CharField(max_length=10, blank=True)
    scheduled_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    # Due again at this time (a retry's backoff); while publishing, the claim's lease end.
    next_attempt_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # WORDPRESS_PUBLISH_MAX_ATTEMPTS when queued: about a day of retries.
    max_attempts = models.PositiveSmallIntegerField(default=12)
    # Publish even if the post changed on WordPress since Flowline last wrote it.
    force = models.BooleanField(default=False)
    error = models.CharField(max_length=500, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["scheduled_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="publish_queue_due")]

    def __str__(self) -> str:
        return f"content {self.content_id} at {self.scheduled_at:%Y-%m-%d %H:%M} ({self.status})"


class SyncEvent(TenantModel):
    """One thing that happened on an integration (the log 002 calls SyncEvent)."""

    class Kind(models.TextChoices):
        TEST = "test_connection", "Connection test"
        SYNC = "sync", "Sync"
        STRUCTURE = "structure", "Structure update"
        CONTENT_SYNC = "content_sync", "Content sync"
        PUBLISH = "publish", "Publish"
        STATUS_WEBHOOK = "webhook_status", "Status webhook"
        METADATA_WEBHOOK = "webhook_metadata", "Metadata webhook"

    integration = models.ForeignKey(
        SiteIntegration, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    success = models.BooleanField(default=True)
    message = models.CharField(max_length=500, blank=True)
    details = models.JSONField(default=dict, blank=True)
    # The sender's id of an inbound webhook event (unique per integration: replays no-op).
    event_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "event_id"],
                condition=~Q(event_id=""),
                name="sync_event_unique_inbound_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.integration_id}"
