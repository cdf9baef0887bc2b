from django.contrib import admin

from flowline.automation.models import AutomationConfig, AutomationLog, AutomationRun


@admin.register(AutomationConfig)
class AutomationConfigAdmin(admin.ModelAdmin):
    list_display = ["site", "account", "is_enabled", "frequency", "scheduled_time", "next_run_at"]
    list_filter = ["is_enabled", "frequency"]
    search_fields = ["site__name", "account__name"]
    readonly_fields = ["account", "site", "last_run_at", "created_by"]


class AutomationLogInline(admin.TabularInline):
    model = AutomationLog
    extra = 0
    fields = ["created_at", "stage", "level", "message", "data"]
    readonly_fields = fields
    can_delete = False


@admin.register(AutomationRun)
class AutomationRunAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "site",
        "account",
        "trigger",
        "status",
        "stage",
        "credits_used",
        "created_at",
    ]
    list_filter = ["status", "trigger", "stage"]
    search_fields = ["site__name", "account__name", "error"]
    readonly_fields = [
        "account",
        "site",
        "job_id",
        "progress",
        "current",
        "credits_used",
        "created_by",
        "started_at",
        "paused_at",
        "finished_at",
    ]
    inlines = [AutomationLogInline]


@admin.register(AutomationLog)
class AutomationLogAdmin(admin.ModelAdmin):
    list_display = ["run", "stage", "level", "message", "created_at"]
    list_filter = ["level", "stage"]
    search_fields = ["message"]
    readonly_fields = ["account", "run"]
