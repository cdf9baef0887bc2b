from django.contrib import admin

from flowline.optimizer.models import ContentScore, LinkSuggestion


@admin.register(ContentScore)
class ContentScoreAdmin(admin.ModelAdmin):
    list_display = ["content", "score", "word_count", "site", "account", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["content__title", "account__name"]
    readonly_fields = ["account", "site", "content", "score", "word_count", "checks", "created_at"]


@admin.register(LinkSuggestion)
class LinkSuggestionAdmin(admin.ModelAdmin):
    list_display = ["source", "target", "anchor_text", "score", "status", "account"]
    list_filter = ["status", "matched"]
    search_fields = ["anchor_text", "source__title", "target__title", "account__name"]
    readonly_fields = ["account", "site", "source", "target"]
