from django.contrib import admin

from flowline.integration.models import (
    PublishQueueItem,
    PublishRecord,
    SiteIntegration,
    SyncEvent,
)


@admin.register(SiteIntegration)
class SiteIntegrationAdmin(admin.ModelAdmin):
    list_display = ["id", "site", "platform", "base_url", "is_active", "sync_status", "account"]
    list_filter = ["platform", "is_active", "sync_status"]
    search_fields = ["base_url", "username", "site__name"]
    raw_id_fields = ["account", "site"]
    # The secrets are never shown, not even to staff.
    exclude = ["app_password", "webhook_secret"]
    readonly_fields = ["sync_status", "last_sync_at", "last_error", "structure"]


@admin.register(PublishRecord)
class PublishRecordAdmin(admin.ModelAdmin):
    list_display = ["id", "content", "integration", "status", "external_id", "published_at"]
    list_filter = ["status"]
    search_fields = ["external_id", "url", "content__title"]
    raw_id_fields = ["account", "integration", "content", "site"]


@admin.register(PublishQueueItem)
class PublishQueueItemAdmin(admin.ModelAdmin):
    list_display = ["id", "content", "integration", "status", "scheduled_at", "attempts"]
    list_filter = ["status"]
    search_fields = ["content__title", "error"]
    raw_id_fields = ["account", "integration", "content", "site", "record", "created_by"]


@admin.register(SyncEvent)
class SyncEventAdmin(admin.ModelAdmin):
    list_display = ["id", "integration", "kind", "success", "event_id", "created_at"]
    list_filter = ["kind", "success"]
    search_fields = ["message", "event_id"]
    raw_id_fields = ["account", "integration"]
