"""Planner routes; `config/api_router.py` mounts them."""

from flowline.planner.api import views

ROUTES: list = [
    ("planner/keywords", views.KeywordViewSet, "planner-keyword"),
    ("planner/clusters", views.ClusterViewSet, "planner-cluster"),
    ("planner/ideas", views.ContentIdeaViewSet, "planner-idea"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns: list = []
