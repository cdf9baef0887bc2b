from django.contrib import admin

from flowline.agents.models import AgentMatch, AgentProcess, AgentRun, DataSource


class DataSourceInline(admin.TabularInline):
    model = DataSource
    extra = 0
    fields = ["platform", "resource_identifier", "resource_name"]


@admin.register(AgentProcess)
class AgentProcessAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "account",
        "agent",
        "status",
        "execution_mode",
        "next_run_at",
        "last_run_at",
    ]
    list_filter = ["status", "execution_mode"]
    search_fields = ["name", "account__name"]
    inlines = [DataSourceInline]


@admin.register(AgentRun)
class AgentRunAdmin(admin.ModelAdmin):
    list_display = ["id", "process", "status", "stage", "trigger", "created_at", "finished_at"]
    list_filter = ["status", "stage", "trigger"]
    search_fields = ["process__name"]


@admin.register(AgentMatch)
class AgentMatchAdmin(admin.ModelAdmin):
    list_display = ["id", "process", "run", "score", "created_at"]
    search_fields = ["process__name", "evidence"]
