"""001 Chat: `chat/conversations/`, their `messages/`, channel connections, Meta webhooks."""

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView

from flowline.chat import meta_webhooks, selectors, services
from flowline.chat.api import serializers as s
from flowline.chat.cards import product_card
from flowline.chat.models import ChannelConnection, Conversation
from flowline.chat.suggestions import suggestions_for
from flowline.core.envelope import ok
from flowline.core.errors import ApplicationError
from flowline.core.large_pagination import GrowingListPagination
from flowline.core.permissions import HasAccountRole
from flowline.core.roles import Role
from flowline.core.throttles import AIThrottle
from flowline.core.viewsets import TenantModelViewSet, created


class ConversationViewSet(TenantModelViewSet):
    """Conversations of the account, most recent activity first."""

    model = Conversation
    filterset_fields = ["channel", "status", "site", "assigned_to"]
    search_fields = ["customer_name", "customer_handle", "last_message_preview"]
    ordering_fields = ["last_message_at", "created_at", "unread_count"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.ConversationUpdateSerializer
        return s.ConversationSerializer

    def safely_get_queryset(self, queryset):
        return selectors.conversations_for_list(
            queryset, unread_only=self.request.query_params.get("unread") in ("true", "1")
        )

    def create(self, request):
        payload = s.ConversationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        conversation = services.conversation_start(
            **{
                k: v
                for k, v in payload.validated_data.items()
                if k in ("customer_handle", "customer_name", "channel", "site")
            }
        )
        return created(s.ConversationSerializer(conversation).data)

    @extend_schema(methods=["GET"], responses=s.MessageSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=s.SendMessageInput, responses={201: s.MessageSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def messages(self, request, pk=None):
        """GET: messages newest first (paginated). POST: reply, optionally sharing a product."""
        conversation = self.get_object()
        if request.method == "POST":
            payload = s.SendMessageInput(data=request.data)
            payload.is_valid(raise_exception=True)
            attachments = []
            if "product_id" in payload.validated_data:
                attachments.append(product_card(payload.validated_data["product_id"]))
            message = services.message_send(
                conversation=conversation,
                user_id=request.user.id,
                body=payload.validated_data["body"],
                attachments=attachments,
            )
            return created(s.MessageSerializer(message).data)
        paginator = GrowingListPagination()
        page = paginator.paginate_queryset(
            selectors.messages_of(conversation=conversation), request, view=self
        )
        return paginator.get_paginated_response(s.MessageSerializer(page, many=True).data)

    @extend_schema(request=None, responses=s.ConversationSerializer)
    @action(detail=True, methods=["post"])
    def mark_read(self, request, pk=None):
        conversation = services.conversation_mark_read(conversation=self.get_object())
        return ok(s.ConversationSerializer(conversation).data)

    @extend_schema(responses=dict)
    @action(detail=False, methods=["get"])
    def unread_count(self, request):
        return ok({"unread_count": selectors.unread_total(self.get_queryset())})


class SuggestionsView(APIView):
    """001 `ai/chat/suggestions/`: reply suggestions for a conversation."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    throttle_classes = [AIThrottle]
    api_scope = "chat"

    @extend_schema(request=s.SuggestionsInput, responses=dict, tags=["chat"])
    def post(self, request):
        payload = s.SuggestionsInput(data=request.data)
        payload.is_valid(raise_exception=True)
        conversation = selectors.conversation_get(
            conversation_id=payload.validated_data["conversation_id"]
        )
        return ok(
            suggestions_for(
                conversation=conversation,
                count=payload.validated_data["count"],
                user_id=request.user.id,
            )
        )


class ChannelConnectionViewSet(TenantModelViewSet):
    """Which WhatsApp number, Facebook page or Instagram account feeds this account."""

    model = ChannelConnection
    serializer_class = s.ChannelConnectionSerializer
    write_role = Role.ADMIN
    api_scope = "chat"
    filterset_fields = ["channel", "is_active"]


class MetaWebhookView(APIView):
    """Meta's webhook: GET verifies the URL, POST delivers messages (signed)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(responses={200: OpenApiResponse(description="The hub.challenge")}, tags=["chat"])
    def get(self, request):
        params = request.query_params
        token = settings.META_WEBHOOK_VERIFY_TOKEN
        if (
            params.get("hub.mode") == "subscribe"
            and token
            and params.get("hub.verify_token") == token
        ):
            return HttpResponse(params.get("hub.challenge", ""), content_type="text/plain")
        raise ApplicationError("Verification failed.", code="verification_failed", status=403)

    @extend_schema(request=dict, responses=dict, tags=["chat"])
    def post(self, request):
        meta_webhooks.verify_signature(request.body, request.headers.get("X-Hub-Signature-256"))
        return ok(meta_webhooks.receive(request.data))
