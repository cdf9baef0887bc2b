from django.urls import path

from flowline.core.pages import nav
from flowline.webhooks.pages import views

nav.register(
    nav.NavItem(
        "Account",
        "Webhooks",
        "console-webhooks",
        "broadcast",
        order=70,
        matches=("console-webhook-*",),
    ),
)

urlpatterns = [
    path("webhooks/", views.WebhooksPage.as_view(), name="console-webhooks"),
    path(
        "webhooks/deliveries/",
        views.DeliveryListPage.as_view(),
        name="console-webhook-deliveries",
    ),
]
