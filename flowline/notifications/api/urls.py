"""The notifications app's routes; `config/api_router.py` mounts them."""

from django.urls import path

from flowline.notifications.api import views


def register(router) -> None:
    # Before "notifications": the detail route of that prefix would shadow this one.
    router.register(
        "notifications/push-subscriptions",
        views.PushSubscriptionViewSet,
        basename="pushsubscription",
    )
    router.register("notifications", views.NotificationViewSet, basename="notification")


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
