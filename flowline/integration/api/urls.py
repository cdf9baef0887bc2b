"""Integration routes; `config/api_router.py` mounts them."""

from django.urls import path

from flowline.integration.api import views

ROUTES: list = [
    ("integration/integrations", views.SiteIntegrationViewSet, "siteintegration"),
    ("publisher/records", views.PublishRecordViewSet, "publishrecord"),
    ("publisher/queue", views.PublishQueueViewSet, "publishqueueitem"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns: list = [
    path("publisher/publish/", views.PublishView.as_view(), name="publisher-publish"),
    path(
        "webhooks/wordpress/status/",
        views.WordPressStatusWebhookView.as_view(),
        name="webhook-wordpress-status",
    ),
    path(
        "webhooks/wordpress/metadata/",
        views.WordPressMetadataWebhookView.as_view(),
        name="webhook-wordpress-metadata",
    ),
]
