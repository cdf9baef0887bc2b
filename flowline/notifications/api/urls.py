"""The notifications app's routes; `config/api_router.py` mounts them."""

from django.urls import path

from flowline.notifications.api import views

ROUTES = [
    # Before "notifications": the detail route of that prefix would shadow this one.
    ("notifications/push-subscriptions", views.PushSubscriptionViewSet, "pushsubscription"),
    ("notifications", views.NotificationViewSet, "notification"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns = [
    path(
        "notifications/preferences/",
        views.NotificationPreferencesView.as_view(),
        name="notification-preferences",
    ),
    path(
        "notifications/push/vapid-public-key/",
        views.VapidPublicKeyView.as_view(),
        name="notification-vapid-public-key",
    ),
]
