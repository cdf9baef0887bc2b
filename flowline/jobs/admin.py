from django.contrib import admin

from flowline.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "account",
        "status",
        "progress",
        "attempts",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["id", "kind", "account__name", "target_id"]
    readonly_fields = [f.name for f in Job._meta.fields]
    date_hierarchy = "created_at"
