"""`/api/v1/webhooks/`: endpoints (secret shown once), deliveries (the log), event types."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.core.envelope import ok
from flowline.core.large_pagination import GrowingListPagination
from flowline.core.permissions import HasAccountRole
from flowline.core.roles import Role
from flowline.core.viewsets import TenantModelViewSet, TenantReadOnlyViewSet, created
from flowline.webhooks import selectors, services
from flowline.webhooks.api import serializers as s
from flowline.webhooks.filters import WebhookDeliveryFilterSet
from flowline.webhooks.models import WebhookDelivery, WebhookEndpoint


class EndpointViewSet(TenantModelViewSet):
    """Where events go. Admins create, change, rotate and test; members read. The
    signing secret is in the create and rotate answers only; elsewhere it is masked."""

    model = WebhookEndpoint
    serializer_class = s.EndpointSerializer
    write_role = Role.ADMIN
    action_roles = {"rotate_secret": Role.ADMIN, "test": Role.ADMIN}
    filterset_fields = ["is_active"]
    search_fields = ["url", "description"]
    lookup_value_regex = r"\d+"

    @extend_schema(responses={201: s.EndpointWithSecretSerializer})
    def create(self, request):
        payload = s.EndpointSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        endpoint = services.endpoint_save(**payload.validated_data)
        return created(
            s.EndpointWithSecretSerializer(endpoint).data,
            message="Endpoint created. Copy the signing secret now: it is not shown again.",
        )

    def perform_update(self, serializer):
        serializer.instance = services.endpoint_save(
            endpoint=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=None, responses=s.EndpointWithSecretSerializer)
    @action(detail=True, methods=["post"])
    def rotate_secret(self, request, pk=None):
        endpoint = services.endpoint_rotate_secret(endpoint=self.get_object())
        return ok(s.EndpointWithSecretSerializer(endpoint).data, message="New secret issued.")

    @extend_schema(request=None, responses=s.DeliverySerializer)
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        delivery = services.endpoint_ping(endpoint=self.get_object())
        message = "Ping delivered." if delivery.status == "succeeded" else "Ping not delivered."
        return ok(s.DeliverySerializer(delivery).data, message=message)


class DeliveryViewSet(TenantReadOnlyViewSet):
    """The delivery log, newest first: `?endpoint=`, `?status=`, `?event_type=`."""

    model = WebhookDelivery
    serializer_class = s.DeliverySerializer
    action_roles = {"redeliver": Role.ADMIN}
    filterset_class = WebhookDeliveryFilterSet
    pagination_class = GrowingListPagination
    ordering_fields = ["created_at", "attempts"]
    lookup_value_regex = r"\d+"

    def safely_get_queryset(self, queryset):
        return selectors.deliveries_for_list(queryset)

    @extend_schema(request=None, responses=s.DeliverySerializer)
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        delivery = services.redeliver(delivery=self.get_object())
        return ok(s.DeliverySerializer(delivery).data, message="Redelivered.")


class EventTypesView(APIView):
    """The event types endpoints can subscribe to (`"*"` subscribes to all)."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    api_scope = "webhooks"

    @extend_schema(responses=s.EventTypeSerializer(many=True), tags=["webhooks"])
    def get(self, request):
        return ok(selectors.event_types_for_list())
