"""Social routes; `config/api_router.py` mounts them under /api/v1/."""

from django.urls import path

from flowline.social.api import views

ROUTES = [
    ("social/accounts", views.SocialAccountViewSet, "socialaccount"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns = [
    path(
        "social/accounts/connect/callback/",
        views.ConnectCallbackView.as_view(),
        name="social-connect-callback",
    ),
    path(
        "social/accounts/connect/<str:platform>/init/",
        views.ConnectInitView.as_view(),
        name="social-connect-init",
    ),
]
