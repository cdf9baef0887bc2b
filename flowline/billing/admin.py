from django.contrib import admin

from flowline.billing.models import Plan, Subscription


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "price_monthly",
        "monthly_credits",
        "max_sites",
        "max_users",
        "is_default",
        "is_active",
    ]
    list_filter = ["is_active", "is_default"]
    search_fields = ["name", "slug"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = [
        "account",
        "plan",
        "status",
        "current_period_start",
        "current_period_end",
        "cancel_at_period_end",
    ]
    list_filter = ["status", "plan"]
    search_fields = ["account__name", "external_id"]
    list_select_related = ["account", "plan"]
