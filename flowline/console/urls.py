"""The console at the site root: the dashboard, then every app's pages."""

from django.urls import include, path

from flowline.console import start, views
from flowline.core.pages import nav
from flowline.core.roles import Role

# Apps whose pages the console shows, in the order of their URL patterns.
PAGE_APPS = [
    "flowline.identity",
    "flowline.sites",
    "flowline.planner",
    "flowline.writer",
    "flowline.automation",
    "flowline.billing",
    "flowline.webhooks",
    "flowline.jobs",
    "flowline.notifications",
    "flowline.social",
    "flowline.commerce",
    "flowline.chat",
    "flowline.analytics",
    "flowline.ai",
    "flowline.system",
    "flowline.agents",
    "flowline.drives",
    "flowline.posts",
    "flowline.campaigns",
]

nav.register(
    nav.NavItem(
        "Overview", "Dashboard", "console-dashboard", "speedometer2", order=0, role=Role.VIEWER
    )
)

urlpatterns = [
    path("", views.DashboardPage.as_view(), name="console-dashboard"),
    path("start/", start.StartPage.as_view(), name="console-start"),
    *[path("", include(f"{app}.pages.urls")) for app in PAGE_APPS],
]
