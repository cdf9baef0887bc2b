"""The AI engine's routes; `config/api_router.py` mounts them."""

from django.urls import path

from flowline.ai.api import automations, generate, system

ROUTES = [
    # 000 automations (agent-tasks is the jobs app's view over the job model)
    ("automations/llm-providers", automations.LLMProviderViewSet, "llmprovider"),
    ("automations/ai-models", automations.AIModelViewSet, "aimodel"),
    ("automations/ai-agents", automations.AIAgentViewSet, "aiagent"),
    # 003 System module
    ("system/prompts", system.PromptViewSet, "prompt"),
    ("system/author-profiles", system.AuthorProfileViewSet, "authorprofile"),
    ("system/strategies", system.StrategyViewSet, "strategy"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


_INTEGRATION = "system/settings/integrations/<str:pk>/"
urlpatterns = [
    path("ai/generate/", generate.GenerateTextView.as_view(), name="ai-generate"),
    path(_INTEGRATION, system.IntegrationSettingView.as_view(), name="integration-setting"),
    path(f"{_INTEGRATION}save/", system.IntegrationSaveView.as_view(), name="integration-save"),
    path(f"{_INTEGRATION}test/", system.IntegrationTestView.as_view(), name="integration-test"),
    path(
        f"{_INTEGRATION}generate/",
        system.IntegrationGenerateView.as_view(),
        name="integration-generate",
    ),
    path(
        "system/integrations/image_generation/",
        system.ImageGenerationSettingsView.as_view(),
        name="image-generation-settings",
    ),
]
