"""Customer chat routes (001): conversations, channel connections, reply suggestions and
the Meta webhook; `config/api_router.py` mounts them."""

from django.urls import path

from flowline.chat.api.views import (
    ChannelConnectionViewSet,
    ConversationViewSet,
    MetaWebhookView,
    SuggestionsView,
)

ROUTES = [
    ("chat/conversations", ConversationViewSet, "conversation"),
    ("chat/connections", ChannelConnectionViewSet, "channelconnection"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns = [
    path("chat/webhooks/meta/", MetaWebhookView.as_view(), name="chat-meta-webhook"),
    path("ai/chat/suggestions/", SuggestionsView.as_view(), name="ai-chat-suggestions"),
]
