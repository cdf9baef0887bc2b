from django.urls import path

from flowline.agents.pages import views
from flowline.core.pages import nav

nav.register(
    nav.NavItem("Agents", "Agents", "console-agents", "cpu", order=10, matches=("console-agent*",))
)

urlpatterns = [
    path("agents/", views.ProcessListPage.as_view(), name="console-agents"),
    path("agents/new/", views.ProcessCreatePage.as_view(), name="console-agent-new"),
    path("agents/<int:pk>/", views.ProcessPage.as_view(), name="console-agent"),
    path(
        "agents/<int:pk>/matches.csv",
        views.MatchesCsvPage.as_view(),
        name="console-agent-matches-csv",
    ),
]
