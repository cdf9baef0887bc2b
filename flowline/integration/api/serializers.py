"""Serializers of the integration API. Secrets (the application password, the webhook
secret) are write-only; responses say whether one is set, never what it is."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from flowline.core.serializers import IdField, ModelSerializer, Serializer, StrictInputSerializer
from flowline.integration.models import (
    PublishQueueItem,
    PublishRecord,
    SiteIntegration,
    SyncEvent,
)
from flowline.sites.models import Site

POST_STATUSES = SiteIntegration.PostStatus.choices


class SiteIntegrationSerializer(ModelSerializer):
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects)
    platform = serializers.CharField(read_only=True)  # WordPress is the one platform
    app_password = serializers.CharField(
        write_only=True, max_length=200, trim_whitespace=True, style={"input_type": "password"}
    )
    app_password_set = serializers.SerializerMethodField()
    webhook_secret_set = serializers.SerializerMethodField()

    class Meta:
        model = SiteIntegration
        fields = [
            "id",
            "site",
            "platform",
            "base_url",
            "username",
            "app_password",
            "app_password_set",
            "webhook_secret_set",
            "is_active",
            "post_status",
            "sync_status",
            "last_sync_at",
            "last_error",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["sync_status", "last_sync_at", "last_error"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:  # updates: an omitted or empty password is kept
            fields["app_password"].required = False
            fields["app_password"].allow_blank = True
        return fields

    @extend_schema_field(serializers.BooleanField())
    def get_app_password_set(self, obj) -> bool:
        return bool(obj.app_password)

    @extend_schema_field(serializers.BooleanField())
    def get_webhook_secret_set(self, obj) -> bool:
        return bool(obj.webhook_secret)


class SiteIntegrationCreatedSerializer(SiteIntegrationSerializer):
    """The answer to a create or a secret rotation: the webhook secret, this once."""

    webhook_secret = serializers.CharField(read_only=True)

    class Meta(SiteIntegrationSerializer.Meta):
        fields = [*SiteIntegrationSerializer.Meta.fields, "webhook_secret"]


class SyncStatusSerializer(ModelSerializer):
    class Meta:
        model = SiteIntegration
        fields = ["id", "sync_status", "last_sync_at", "last_error", "structure"]


class CredentialsInput(StrictInputSerializer):
    """`integrations/test-connection/`: credentials tried before they are saved."""

    base_url = serializers.URLField(max_length=500)
    username = serializers.CharField(max_length=150)
    app_password = serializers.CharField(max_length=200)


class ConnectionSerializer(Serializer):
    connected = serializers.BooleanField()
    user = serializers.DictField()


class StructureInput(StrictInputSerializer):
    """What the site reports about itself (post types, taxonomies, counts...)."""

    post_types = serializers.DictField(required=False)
    taxonomies = serializers.DictField(required=False)
    categories = serializers.ListField(child=serializers.DictField(), required=False)
    tags = serializers.ListField(child=serializers.DictField(), required=False)
    counts = serializers.DictField(required=False)
    plugin_version = serializers.CharField(max_length=40, required=False)


class ContentTypeSerializer(Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    rest_base = serializers.CharField()
    taxonomies = serializers.ListField(child=serializers.CharField())


class ContentSyncResultSerializer(Serializer):
    posts_read = serializers.IntegerField()
    records = serializers.IntegerField()
    updated = serializers.IntegerField()
    missing = serializers.IntegerField()


class SyncEventSerializer(ModelSerializer):
    class Meta:
        model = SyncEvent
        fields = ["id", "kind", "success", "message", "details", "event_id", "created_at"]


class DebugStatusSerializer(Serializer):
    sync_status = serializers.CharField()
    last_sync_at = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField()
    records = serializers.DictField(child=serializers.IntegerField())
    queue = serializers.DictField(child=serializers.IntegerField())
    recent_events = SyncEventSerializer(many=True)


class PublishRecordSerializer(ModelSerializer):
    # Plain strings in the schema: drf-spectacular names every `status` choice set alike.
    status = serializers.CharField(
        read_only=True,
        help_text="pending, publishing, published, failed, unknown, conflict or unpublished",
    )

    class Meta:
        model = PublishRecord
        fields = [
            "id",
            "integration",
            "content",
            "site",
            "status",
            "external_id",
            "url",
            "post_status",
            "attempts",
            "error",
            "error_code",
            "published_at",
            "remote",
            "remote_modified_gmt",
            "conflict",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class UnpublishInput(StrictInputSerializer):
    """`publisher/records/{id}/unpublish/`: where the post goes."""

    to = serializers.ChoiceField(choices=["draft", "trash"], default="draft")


class PublishQueueItemSerializer(ModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="queued, publishing, published, failed or cancelled"
    )

    class Meta:
        model = PublishQueueItem
        fields = [
            "id",
            "integration",
            "content",
            "site",
            "record",
            "post_status",
            "force",
            "scheduled_at",
            "status",
            "attempts",
            "max_attempts",
            "next_attempt_at",
            "error",
            "error_code",
            "published_at",
            "created_at",
        ]
        read_only_fields = fields


class QueueInput(StrictInputSerializer):
    """Queue one content: now, or at `scheduled_at`."""

    content = IdField()
    integration = IdField(required=False, allow_null=True)
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True)
    post_status = serializers.ChoiceField(choices=POST_STATUSES, required=False, allow_blank=True)
    force = serializers.BooleanField(
        default=False, help_text="Overwrite changes made to the post on WordPress."
    )


class PublishInput(StrictInputSerializer):
    """`publisher/publish/`: publish these contents now, as a job."""

    content_ids = serializers.ListField(child=IdField(), min_length=1, max_length=100)
    integration_id = IdField(required=False, allow_null=True)
    post_status = serializers.ChoiceField(choices=POST_STATUSES, required=False, allow_blank=True)
    force = serializers.BooleanField(
        default=False, help_text="Overwrite changes made to the posts on WordPress."
    )


class PublishStartedSerializer(Serializer):
    task_id = serializers.UUIDField()
    status = serializers.CharField()


class WebhookEventInput(Serializer):
    """A webhook from the site. Unknown fields are kept out, not refused: the site's
    plugin may send more than we read."""

    event_id = serializers.CharField(max_length=100)
    integration_id = IdField(required=False)
    post_id = IdField()


class StatusEventInput(WebhookEventInput):
    status = serializers.CharField(max_length=20)
    link = serializers.URLField(max_length=500, required=False)
    # The post's modified_gmt after the change: lets late events be told from new ones.
    modified_gmt = serializers.CharField(max_length=40, required=False)


class MetadataEventInput(WebhookEventInput):
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    slug = serializers.CharField(max_length=200, required=False, allow_blank=True)
    link = serializers.URLField(max_length=500, required=False)
    excerpt = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    modified = serializers.CharField(max_length=40, required=False)
    modified_gmt = serializers.CharField(max_length=40, required=False)
    categories = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    meta = serializers.DictField(required=False)


class WebhookResultSerializer(Serializer):
    event_id = serializers.CharField()
    result = serializers.ChoiceField(choices=["applied", "duplicate", "unknown_post"])
    record_id = IdField(required=False)
