"""Outbound webhook routes (issue 3): endpoints, deliveries, event types;
`config/api_router.py` mounts them."""

from django.urls import path

from flowline.webhooks.api import views

ROUTES = [
    ("webhooks/endpoints", views.EndpointViewSet, "webhookendpoint"),
    ("webhooks/deliveries", views.DeliveryViewSet, "webhookdelivery"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns = [
    path("webhooks/event-types/", views.EventTypesView.as_view(), name="webhook-event-types"),
]
