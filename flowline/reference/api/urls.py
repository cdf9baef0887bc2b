"""Reference data routes (003 `auth/industries`, `auth/seed-keywords`);
`config/api_router.py` mounts them."""

from flowline.reference.api.views import IndustryViewSet, SeedKeywordViewSet

ROUTES = [
    ("auth/industries", IndustryViewSet, "industry"),
    ("auth/seed-keywords", SeedKeywordViewSet, "seedkeyword"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)
