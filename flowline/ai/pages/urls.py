from django.urls import path

from flowline.ai.pages import views
from flowline.core.pages import nav
from flowline.core.roles import Role

nav.register(
    nav.NavItem(
        "Account",
        "AI & prompts",
        "console-ai",
        "cpu",
        order=70,
        role=Role.ADMIN,
        matches=("console-prompt*",),
    ),
)

urlpatterns = [
    path("settings/ai/", views.IntegrationsPage.as_view(), name="console-ai"),
    path("settings/prompts/", views.PromptsPage.as_view(), name="console-prompts"),
    path("settings/prompts/<slug:prompt_type>/", views.PromptPage.as_view(), name="console-prompt"),
]
