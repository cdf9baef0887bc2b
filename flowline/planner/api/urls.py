"""Planner routes; `config/api_router.py` mounts them."""

ROUTES: list = []


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns: list = []
