"""000 `automations/llm-providers/`, `automations/ai-models/`, `automations/ai-agents/`.

Viewers read; admins manage providers and models (credentials, prices); editors agents.
"""

from flowline.ai.api import serializers as s
from flowline.ai.models import AIAgent, AIModel, LLMProvider
from flowline.ai.services import providers as services
from flowline.core.roles import Role
from flowline.core.viewsets import BulkDeleteMixin, TenantModelViewSet


class LLMProviderViewSet(BulkDeleteMixin, TenantModelViewSet):
    model = LLMProvider
    serializer_class = s.LLMProviderSerializer
    write_role = Role.ADMIN
    filterset_fields = ["kind", "is_active", "is_default"]
    search_fields = ["name", "base_url"]
    ordering_fields = ["name", "created_at"]

    def perform_create(self, serializer):
        serializer.instance = services.provider_save(**serializer.validated_data)

    def perform_update(self, serializer):
        services.provider_save(provider=serializer.instance, **serializer.validated_data)


class AIModelViewSet(BulkDeleteMixin, TenantModelViewSet):
    model = AIModel
    serializer_class = s.AIModelSerializer
    write_role = Role.ADMIN
    filterset_fields = ["provider", "purpose", "is_active", "is_default"]
    search_fields = ["name", "display_name"]
    ordering_fields = ["name", "created_at"]

    def safely_get_queryset(self, queryset):
        return queryset.select_related("provider")

    def perform_create(self, serializer):
        serializer.instance = services.model_save(**serializer.validated_data)

    def perform_update(self, serializer):
        services.model_save(model=serializer.instance, **serializer.validated_data)


class AIAgentViewSet(BulkDeleteMixin, TenantModelViewSet):
    model = AIAgent
    serializer_class = s.AIAgentSerializer
    filterset_fields = ["model", "is_active"]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "created_at"]
