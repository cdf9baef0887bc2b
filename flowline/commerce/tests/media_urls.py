"""The project's URLs, with media served from the MEDIA_ROOT in force at request time
(config.urls binds it at import, before a test moves it to a temporary folder)."""

from django.conf import settings
from django.urls import path
from django.views.static import serve

from config.urls import urlpatterns as project_urlpatterns


def _media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [path("media/<path:path>", _media), *project_urlpatterns]
