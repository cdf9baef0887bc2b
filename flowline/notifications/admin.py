from django.contrib import admin

from flowline.notifications.models import (
    Notification,
    NotificationPreference,
    NotificationTemplate,
    PendingDelivery,
    PushSubscription,
)


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    list_display = ["notification_type", "title_template", "description"]
    search_fields = ["notification_type", "title_template"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["notification_type", "title", "user", "account", "read_at", "created_at"]
    list_filter = ["notification_type"]
    search_fields = ["title", "user__email", "account__name"]
    raw_id_fields = ["user"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["notification_type", "user", "account", "in_app", "email", "push"]
    list_filter = ["notification_type"]
    raw_id_fields = ["user"]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "account", "user_agent", "created_at"]
    search_fields = ["user__email", "endpoint"]
    raw_id_fields = ["user"]


@admin.register(PendingDelivery)
class PendingDeliveryAdmin(admin.ModelAdmin):
    """The email/push outbox: support staff see what is stuck and why."""

    list_display = ["batch_id", "account", "created_at", "enqueued_at", "sent_at", "sweeps"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["batch_id", "last_error"]
    readonly_fields = ["batch_id", "batch", "created_at", "enqueued_at", "sent_at", "sweeps"]
