"""A URL conf for tests only: the real routes plus views that fail on purpose."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from config.urls import urlpatterns as real_urlpatterns


class ExplodingApiView(APIView):
    """A DRF view with a bug: the exception handler must answer, not Django's debug page."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("boom: a bug in an API view")


def exploding_django_view(request):
    """A plain Django view with a bug: Django's handler500 answers."""
    raise RuntimeError("boom: a bug in a plain view")


urlpatterns = [
    path("api/v1/test/explode/", ExplodingApiView.as_view()),
    path("api/v1/test/explode-plain/", exploding_django_view),
    path("not-api/explode/", exploding_django_view),
    *real_urlpatterns,
]

handler400 = "flowline.core.exceptions.handler400"
handler403 = "flowline.core.exceptions.handler403"
handler404 = "flowline.core.exceptions.handler404"
handler500 = "flowline.core.exceptions.handler500"
