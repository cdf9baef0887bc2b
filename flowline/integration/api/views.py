"""`integration/integrations/` (a site's WordPress), `publisher/` (queue, records,
publish now) and the inbound `webhooks/wordpress/` endpoints."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.idempotency import idempotent, key_from
from flowline.core.roles import Role
from flowline.core.viewsets import TenantModelViewSet, TenantReadOnlyViewSet, TenantViewSetMixin
from flowline.core.viewsets import created as created_response
from flowline.identity.authentication import ApiKeyAuthentication
from flowline.integration import selectors
from flowline.integration.api import serializers as s
from flowline.integration.models import PublishQueueItem, PublishRecord, SiteIntegration
from flowline.integration.services import batches, inbound, integrations, queue, unpublishing
from flowline.integration.wordpress.client import Credentials


class SiteIntegrationViewSet(TenantModelViewSet):
    """A site's WordPress connection: admins manage it, editors test and sync it."""

    model = SiteIntegration
    serializer_class = s.SiteIntegrationSerializer
    write_role = Role.ADMIN
    action_roles = {
        "test_connection": Role.EDITOR,
        "test_credentials": Role.EDITOR,
        "sync": Role.EDITOR,
        "update_structure": Role.EDITOR,
        "sync_wordpress_content": Role.EDITOR,
    }
    filterset_fields = ["site", "platform", "is_active", "sync_status"]
    search_fields = ["base_url", "username"]
    ordering_fields = ["created_at", "last_sync_at"]

    def safely_get_queryset(self, queryset):
        return queryset.select_related("site")

    @extend_schema(responses={201: s.SiteIntegrationCreatedSerializer})
    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        integration = integrations.integration_create(**payload.validated_data)
        return created_response(
            s.SiteIntegrationCreatedSerializer(integration).data,
            message="Integration created. Keep the webhook secret: it is shown once.",
        )

    def perform_update(self, serializer):
        serializer.instance = integrations.integration_update(
            integration=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=None, responses=s.ConnectionSerializer)
    @action(detail=True, methods=["post"])
    def test_connection(self, request, pk=None):
        """Sign in to the site with the saved credentials (400 `wordpress_auth_failed`
        when WordPress refuses them)."""
        result = integrations.integration_test(integration=self.get_object())
        return ok(result, message="Connected to WordPress.")

    @extend_schema(
        request=s.CredentialsInput,
        responses=s.ConnectionSerializer,
        operation_id="integration_integrations_test_credentials",
    )
    @action(detail=False, methods=["post"], url_path="test-connection")
    def test_credentials(self, request):
        """Try credentials before saving them."""
        payload = s.CredentialsInput(data=request.data)
        payload.is_valid(raise_exception=True)
        result = integrations.connection_check(Credentials(**payload.validated_data))
        return ok(result, message="Connected to WordPress.")

    @extend_schema(request=None, responses=s.SyncStatusSerializer)
    @action(detail=True, methods=["post"])
    def sync(self, request, pk=None):
        """Read the site's post types, categories and tags."""
        integration = integrations.integration_sync(integration=self.get_object())
        return ok(s.SyncStatusSerializer(integration).data, message="Synced.")

    @extend_schema(responses=s.SyncStatusSerializer)
    @action(detail=True, methods=["get"])
    def sync_status(self, request, pk=None):
        return ok(s.SyncStatusSerializer(self.get_object()).data)

    @extend_schema(request=s.StructureInput, responses=s.SyncStatusSerializer)
    @action(detail=True, methods=["post"], url_path="update-structure")
    def update_structure(self, request, pk=None):
        """The site reports its structure (post types, taxonomies) itself."""
        integration = self.get_object()
        payload = s.StructureInput(data=request.data)
        payload.is_valid(raise_exception=True)
        integrations.integration_update_structure(
            integration=integration, structure=payload.validated_data
        )
        return ok(s.SyncStatusSerializer(integration).data, message="Structure updated.")

    @extend_schema(responses=s.ContentTypeSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def get_content_types(self, request, pk=None):
        return ok(integrations.content_types(self.get_object()))

    @extend_schema(request=None, responses=s.ContentSyncResultSerializer)
    @action(detail=True, methods=["post"])
    def sync_wordpress_content(self, request, pk=None):
        """Bring the publish records up to date with the site's posts."""
        result = integrations.integration_sync_content(integration=self.get_object())
        return ok(result, message="Content synced.")

    @extend_schema(responses=s.DebugStatusSerializer)
    @action(detail=True, methods=["get"])
    def debug_status(self, request, pk=None):
        """What to look at when publishing goes wrong: sync state, publish records by
        status, queue items by status, the last events."""
        return ok(s.DebugStatusSerializer(selectors.debug_status(self.get_object())).data)

    @extend_schema(request=None, responses=s.SiteIntegrationCreatedSerializer)
    @action(detail=True, methods=["post"])
    def rotate_webhook_secret(self, request, pk=None):
        """A new signing secret for the site's webhooks, shown this once."""
        integration = integrations.integration_rotate_secret(integration=self.get_object())
        return ok(s.SiteIntegrationCreatedSerializer(integration).data, message="Secret rotated.")

    @extend_schema(responses=s.SyncEventSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filter_backends=[])
    def events(self, request, pk=None):
        """The integration's log: tests, syncs, publishes, webhooks."""
        rows = self.get_object().events.all()
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.SyncEventSerializer(page, many=True).data)


class PublishRecordViewSet(TenantReadOnlyViewSet):
    """`publisher/records/`: where each content was published and how it went."""

    model = PublishRecord
    serializer_class = s.PublishRecordSerializer
    filterset_fields = ["integration", "content", "site", "status"]
    ordering_fields = ["updated_at", "published_at"]
    api_scope = "integration"

    @extend_schema(request=s.UnpublishInput, responses=s.PublishRecordSerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        """Take the post down on WordPress: `{"to": "draft"}` (default) or
        `{"to": "trash"}`. Publishing again puts it back (the same post)."""
        payload = s.UnpublishInput(data=request.data)
        payload.is_valid(raise_exception=True)
        record = unpublishing.record_unpublish(
            record=self.get_object(), to=payload.validated_data["to"]
        )
        return ok(self.get_serializer(record).data, message="Unpublished.")


class PublishQueueViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """`publisher/queue/`: content waiting to be published, now or at a time."""

    model = PublishQueueItem
    serializer_class = s.PublishQueueItemSerializer
    filterset_fields = ["integration", "content", "site", "status"]
    ordering_fields = ["scheduled_at", "created_at"]
    api_scope = "integration"

    @extend_schema(request=s.QueueInput, responses={201: s.PublishQueueItemSerializer})
    def create(self, request):
        payload = s.QueueInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        ctx = tenancy.require()
        item = queue.queue_add(
            account_id=ctx.account_id,
            content_id=data["content"],
            integration_id=data.get("integration"),
            scheduled_at=data.get("scheduled_at"),
            post_status=data.get("post_status") or "",
            force=data["force"],
            user_id=request.user.id,
        )
        item = self.get_queryset().get(id=item.id)
        return created_response(self.get_serializer(item).data, message="Queued.")

    @extend_schema(request=None, responses=s.PublishQueueItemSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        item = queue.queue_cancel(item=self.get_object())
        return ok(self.get_serializer(item).data, message="Cancelled.")


class PublishView(APIView):
    """`POST publisher/publish/`: publish content now, as a job (`integration.publish`).
    Send an `Idempotency-Key` so that a retried request starts one job."""

    permission_classes = [*TenantViewSetMixin.permission_classes]
    read_role = Role.VIEWER
    write_role = Role.EDITOR
    api_scope = "integration"

    @extend_schema(
        request=s.PublishInput, responses={201: s.PublishStartedSerializer}, tags=["publisher"]
    )
    @idempotent
    def post(self, request):
        payload = s.PublishInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        job = batches.publish_start(
            account_id=tenancy.require().account_id,
            user_id=request.user.id,
            content_ids=data["content_ids"],
            integration_id=data.get("integration_id"),
            post_status=data.get("post_status") or "",
            force=data["force"],
            idempotency_key=key_from(request),
        )
        return created_response(
            {"task_id": str(job.id), "status": job.status}, message="Publishing queued."
        )


class _WordPressWebhookView(APIView):
    """Inbound webhook: an account API key (scope `integration:write`) or the
    integration's HMAC signature (see services.inbound)."""

    authentication_classes = [ApiKeyAuthentication]
    parser_classes = [JSONParser]
    permission_classes = [AllowAny]
    throttle_classes = []
    api_scope = "integration"
    input_serializer = s.WebhookEventInput

    def post(self, request):
        if request.auth is not None:  # an API key authenticated the request
            payload = self.input_serializer(data=request.data)
            payload.is_valid(raise_exception=True)
            integration = inbound.integration_for_key(
                integration_id=payload.validated_data.get("integration_id")
                or request.headers.get("X-Flowline-Integration")
            )
        else:
            integration = inbound.integration_from_signature(
                raw_body=request.body,
                integration_header=request.headers.get("X-Flowline-Integration"),
                signature_header=request.headers.get("X-Flowline-Signature"),
            )
            payload = self.input_serializer(data=request.data)
            payload.is_valid(raise_exception=True)
        return ok(self.receive(integration=integration, event=payload.validated_data))

    def receive(self, *, integration, event):  # pragma: no cover
        raise NotImplementedError


_WEBHOOK_RESPONSES = {
    200: s.WebhookResultSerializer,
    401: OpenApiResponse(description="Bad or missing API key or signature."),
}


class WordPressStatusWebhookView(_WordPressWebhookView):
    input_serializer = s.StatusEventInput

    @extend_schema(request=s.StatusEventInput, responses=_WEBHOOK_RESPONSES, tags=["webhooks"])
    def post(self, request):
        return super().post(request)

    def receive(self, *, integration, event):
        return inbound.status_receive(integration=integration, event=event)


class WordPressMetadataWebhookView(_WordPressWebhookView):
    input_serializer = s.MetadataEventInput

    @extend_schema(request=s.MetadataEventInput, responses=_WEBHOOK_RESPONSES, tags=["webhooks"])
    def post(self, request):
        return super().post(request)

    def receive(self, *, integration, event):
        return inbound.metadata_receive(integration=integration, event=event)
