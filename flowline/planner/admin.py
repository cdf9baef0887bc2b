from django.contrib import admin

from flowline.planner.models import Cluster, ContentIdea, Keyword


@admin.register(Keyword)
class KeywordAdmin(admin.ModelAdmin):
    list_display = [
        "keyword",
        "account",
        "site",
        "sector",
        "cluster",
        "volume",
        "difficulty",
        "intent",
        "status",
        "created_at",
    ]
    list_filter = ["status", "intent"]
    search_fields = ["keyword", "account__name", "site__name"]
    list_select_related = ["account", "site", "sector", "cluster"]
    raw_id_fields = ["site", "sector", "cluster", "seed_keyword"]
    readonly_fields = ["account", "normalized"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "account",
        "site",
        "sector",
        "keywords_count",
        "volume",
        "status",
        "created_at",
    ]
    list_filter = ["status"]
    search_fields = ["name", "account__name", "site__name"]
    list_select_related = ["account", "site", "sector"]
    raw_id_fields = ["site", "sector"]
    readonly_fields = ["account", "keywords_count", "volume"]


@admin.register(ContentIdea)
class ContentIdeaAdmin(admin.ModelAdmin):
    list_display = [
        "idea_title",
        "account",
        "site",
        "cluster",
        "content_type",
        "content_structure",
        "status",
        "created_at",
    ]
    list_filter = ["status", "content_type", "content_structure"]
    search_fields = ["idea_title", "account__name", "target_keywords"]
    list_select_related = ["account", "site", "cluster"]
    raw_id_fields = ["site", "sector", "cluster", "created_by"]
    readonly_fields = ["account"]
