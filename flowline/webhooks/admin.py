from django.contrib import admin

from flowline.webhooks.models import WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "account", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "description", "account__name"]
    exclude = ["secret"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "last_response_status",
        "created_at",
    ]
    list_filter = ["status", "event_type"]
    search_fields = ["endpoint__url", "event_id"]
