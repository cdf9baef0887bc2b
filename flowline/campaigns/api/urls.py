"""Campaign routes; `config/api_router.py` mounts them under /api/v1/."""

from flowline.campaigns.api import views

ROUTES = [
    ("campaigns", views.CampaignViewSet, "campaign"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns: list = []
