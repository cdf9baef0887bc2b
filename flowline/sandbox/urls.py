"""/sandbox/: sandbox pages and providers (config/urls.py; 404 outside sandbox mode)."""

from django.urls import path

from flowline.sandbox import views

urlpatterns = [
    path("feed/", views.FeedPage.as_view(), name="sandbox-feed"),
    path("feed.json", views.feed_json, name="sandbox-feed-json"),
    path("customer/", views.CustomerPage.as_view(), name="sandbox-customer"),
    path("outbox/", views.OutboxPage.as_view(), name="sandbox-outbox"),
    path("consent/<str:name>/", views.ConsentPage.as_view(), name="sandbox-consent"),
    path("control/<str:name>/", views.control, name="sandbox-control"),
    path("checkout/<str:session_id>", views.CheckoutPage.as_view(), name="sandbox-checkout"),
    path("<str:name>/", views.provider_api, name="sandbox-provider-root"),
    path("<str:name>/<path:path>", views.provider_api, name="sandbox-provider"),
]
