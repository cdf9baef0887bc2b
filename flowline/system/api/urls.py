"""System routes (003 System module: settings, status, request metrics, the Gitea
webhook); `config/api_router.py` mounts them."""

from django.urls import path

from flowline.system.api import views

ROUTES = [
    ("system/settings/system", views.SystemSettingViewSet, "systemsetting"),
    ("system/settings/account", views.AccountSettingViewSet, "accountsetting"),
    ("system/settings/user", views.UserSettingViewSet, "usersetting"),
    ("system/settings/modules", views.ModuleSettingViewSet, "modulesetting"),
    ("system/settings/ai", views.AISettingViewSet, "aisetting"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns = [
    path("system/status/", views.StatusView.as_view(), name="system-status"),
    path("system/webhook/", views.GiteaWebhookView.as_view(), name="system-gitea-webhook"),
    path(
        "system/request-metrics/<str:request_id>/",
        views.RequestMetricsView.as_view(),
        name="system-request-metrics",
    ),
]
