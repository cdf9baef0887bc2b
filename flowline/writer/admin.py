from django.contrib import admin

from flowline.writer.models import Content, Image, Task, Taxonomy


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "account",
        "site",
        "status",
        "content_type",
        "word_count",
        "created_at",
    ]
    list_filter = ["status", "content_type", "content_structure"]
    search_fields = ["title", "keywords", "account__name", "site__name"]
    readonly_fields = ["account", "error"]
    raw_id_fields = ["site", "sector", "cluster", "idea", "author_profile", "strategy"]


class ImageInline(admin.TabularInline):
    model = Image
    extra = 0
    fields = ["image_type", "position", "status", "file", "alt_text", "prompt"]
    readonly_fields = ["file"]


@admin.register(Content)
class ContentAdmin(admin.ModelAdmin):
    list_display = ["title", "account", "site", "status", "word_count", "published_at"]
    list_filter = ["status", "content_type"]
    search_fields = ["title", "keywords", "external_url", "account__name", "site__name"]
    readonly_fields = [
        "account",
        "headings",
        "word_count",
        "generation",
        "external_id",
        "external_url",
        "published_at",
    ]
    raw_id_fields = ["site", "sector", "task"]
    filter_horizontal = ["taxonomies"]
    inlines = [ImageInline]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["id", "content", "account", "image_type", "position", "status", "mime_type"]
    list_filter = ["status", "image_type"]
    search_fields = ["prompt", "alt_text", "content__title", "account__name"]
    readonly_fields = ["account", "width", "height", "size_bytes", "mime_type", "generation"]
    raw_id_fields = ["site", "sector", "content", "task"]


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "taxonomy_type", "slug", "site", "account", "external_id"]
    list_filter = ["taxonomy_type"]
    search_fields = ["name", "slug", "site__name", "account__name"]
    readonly_fields = ["account"]
    raw_id_fields = ["site", "parent"]
