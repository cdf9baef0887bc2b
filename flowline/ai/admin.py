"""Staff views of the AI engine. Credentials are never shown, not even to staff."""

from django.contrib import admin

from flowline.ai.models import (
    AIAgent,
    AICall,
    AIModel,
    AuthorProfile,
    IntegrationSetting,
    LLMProvider,
    Prompt,
    Strategy,
)


@admin.register(LLMProvider)
class LLMProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "account", "is_active", "is_default"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "base_url", "account__name"]
    exclude = ["api_key"]


@admin.register(AIModel)
class AIModelAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "purpose", "account", "is_default"]
    list_filter = ["purpose", "is_default"]
    search_fields = ["name", "display_name", "account__name"]


@admin.register(AIAgent)
class AIAgentAdmin(admin.ModelAdmin):
    list_display = ["name", "model", "account", "is_active"]
    search_fields = ["name", "account__name"]


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    list_display = ["prompt_type", "account", "is_active", "updated_at"]
    search_fields = ["prompt_type", "account__name"]


@admin.register(AuthorProfile)
class AuthorProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "tone", "language", "account"]
    search_fields = ["name", "account__name"]


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["name", "account", "is_active"]
    search_fields = ["name", "account__name"]


@admin.register(IntegrationSetting)
class IntegrationSettingAdmin(admin.ModelAdmin):
    list_display = ["integration_type", "account", "is_active", "updated_at"]
    list_filter = ["integration_type", "is_active"]
    search_fields = ["integration_type", "account__name"]
    exclude = ["secrets"]


@admin.register(AICall)
class AICallAdmin(admin.ModelAdmin):
    """The usage log: read only."""

    list_display = ["created_at", "operation", "provider", "model", "account", "status"]
    list_filter = ["status", "offline", "provider"]
    search_fields = ["operation", "model", "account__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
