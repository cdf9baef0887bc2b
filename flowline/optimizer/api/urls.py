"""Optimizer routes (002 `optimizer/`, `linker/`); `config/api_router.py` mounts them."""

from flowline.optimizer.api import views

ROUTES = [
    ("optimizer", views.ContentScoreViewSet, "contentscore"),
    ("linker", views.LinkSuggestionViewSet, "linksuggestion"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns: list = []
