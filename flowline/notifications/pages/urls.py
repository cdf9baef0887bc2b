from django.urls import path

from flowline.core.pages import nav
from flowline.notifications.pages import views

nav.register(
    nav.NavItem(
        "Account",
        "Notifications",
        "console-notifications",
        "bell",
        order=30,
        matches=("console-notification-preferences",),
    )
)

urlpatterns = [
    path("notifications/", views.NotificationListPage.as_view(), name="console-notifications"),
    path(
        "notifications/preferences/",
        views.NotificationPreferencesPage.as_view(),
        name="console-notification-preferences",
    ),
]
