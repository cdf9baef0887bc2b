"""/sandbox/: sandbox pages and providers (config/urls.py; 404 outside sandbox mode)."""

from django.urls import path

from flowline.sandbox.views import api, chat, consent, outbox, social, stripe

urlpatterns = [
    path("feed/", social.FeedPage.as_view(), name="sandbox-feed"),
    path("feed.json", social.feed_json, name="sandbox-feed-json"),
    path("customer/", chat.CustomerPage.as_view(), name="sandbox-customer"),
    path("outbox/", outbox.OutboxPage.as_view(), name="sandbox-outbox"),
    path("consent/<str:name>/", consent.ConsentPage.as_view(), name="sandbox-consent"),
    path("control/<str:name>/", social.control, name="sandbox-control"),
    path("checkout/<str:session_id>", stripe.CheckoutPage.as_view(), name="sandbox-checkout"),
    path("<str:name>/", api.provider_api, name="sandbox-provider-root"),
    path("<str:name>/<path:path>", api.provider_api, name="sandbox-provider"),
]
