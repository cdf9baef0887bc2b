"""Root URLs: the API under /api/v1/, its schema and docs, the admin, and the console at /."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from flowline.core import media
from flowline.core.docs_views import RedocView

urlpatterns = [
    # Seed frontends' contracts (flowline.contracts) first: IGNY8's paths are /api/v1/'s own.
    path("", include("flowline.contracts.urls")),
    path("api/v1/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    path("admin/", admin.site.urls),
    # Sandbox providers and pages; every view there is a 404 outside sandbox mode.
    path("sandbox/", include("flowline.sandbox.urls")),
]

if settings.DEBUG or settings.FLOWLINE_SERVE_MEDIA:
    # Public images only (core.media); private files are never under MEDIA_ROOT.
    urlpatterns.append(
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            media.serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

# The console last: its pages sit at the root, around the paths above.
urlpatterns.append(path("", include("flowline.console.urls")))

handler400 = "flowline.core.exceptions.handler400"
handler403 = "flowline.core.exceptions.handler403"
handler404 = "flowline.core.exceptions.handler404"
handler500 = "flowline.core.exceptions.handler500"
