"""Admin for social accounts: staff see the connection state, never the tokens."""

from django.contrib import admin

from flowline.social.models import SocialAccount


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "account",
        "platform",
        "name",
        "external_id",
        "status",
        "token_expires_at",
    )
    list_filter = ("platform", "status")
    search_fields = ("name", "username", "external_id")
    exclude = ("access_token", "refresh_token")
    readonly_fields = (
        "account",
        "platform",
        "external_id",
        "token_expires_at",
        "last_refreshed_at",
        "refresh_retry_at",
        "refresh_failures",
        "reconnect_notified_at",
        "connected_by",
    )
