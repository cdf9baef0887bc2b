from django.contrib import admin

from flowline.analytics.models import AnalyticsEvent, DailyMetric, PlatformMetric, RollupState


@admin.register(AnalyticsEvent)
class AnalyticsEventAdmin(admin.ModelAdmin):
    list_display = ["event_type", "platform", "account", "session_id", "value", "occurred_at"]
    list_filter = ["platform"]
    search_fields = ["event_type", "session_id", "customer_id"]
    raw_id_fields = ["site"]
    show_full_result_count = False


@admin.register(DailyMetric)
class DailyMetricAdmin(admin.ModelAdmin):
    list_display = ["date", "account", "platform", "event_type", "count", "value_sum"]
    list_filter = ["platform"]


@admin.register(PlatformMetric)
class PlatformMetricAdmin(admin.ModelAdmin):
    list_display = ["date", "account", "platform", "followers", "reach", "engagement"]
    list_filter = ["platform"]


@admin.register(RollupState)
class RollupStateAdmin(admin.ModelAdmin):
    list_display = ["account", "dirty_from", "version", "rolled_at"]
