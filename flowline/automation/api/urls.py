"""Automation routes (002 `automation/`); `config/api_router.py` mounts them."""

from flowline.automation.api import views

ROUTES = [
    ("automation/runs", views.AutomationRunViewSet, "automationrun"),
    ("automation", views.AutomationViewSet, "automation"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns: list = []
