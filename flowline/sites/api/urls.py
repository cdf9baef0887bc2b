"""Site routes (003 `auth/sites`, `auth/sectors`, `auth/site-access`; 000 names sites
`brands`); `config/api_router.py` mounts them."""

from flowline.sites.api.views import SectorViewSet, SiteAccessViewSet, SiteViewSet

ROUTES = [
    ("auth/sites", SiteViewSet, "site"),
    ("auth/sectors", SectorViewSet, "sector"),
    ("auth/site-access", SiteAccessViewSet, "siteaccess"),
    # 000 Syncflow brands are sites
    ("brands", SiteViewSet, "brand"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)
