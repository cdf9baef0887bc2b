from django.contrib import admin

from flowline.campaigns.models import Campaign


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "account", "status", "starts_at", "ends_at"]
    list_filter = ["status"]
    search_fields = ["name", "account__name"]
    raw_id_fields = ["site", "created_by", "posts", "contents"]
    readonly_fields = ["status", "started_at", "completed_at"]
