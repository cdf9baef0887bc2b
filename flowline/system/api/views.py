"""003 System module: settings at each level, `system/status/`, `system/request-metrics/`
and the Gitea webhook `system/webhook/`."""

from django.conf import settings
from django.db import IntegrityError, transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated
from rest_framework.views import APIView

from flowline.core import tenancy
from flowline.core.envelope import EnvelopedResponse, error_body, ok
from flowline.core.errors import ConflictError, NotFoundError
from flowline.core.middleware import REQUEST_ID
from flowline.core.permissions import HasAccountRole, IsStaff
from flowline.core.roles import Role, at_least
from flowline.core.viewsets import TenantModelViewSet
from flowline.system import health
from flowline.system.api import serializers as s
from flowline.system.gitea import gitea_delivery_receive
from flowline.system.models import AccountSetting, ModuleSetting, SystemSetting, UserSetting
from flowline.system.request_metrics import request_metrics_get


class UniqueKeyMixin:
    """A duplicate key is a 409, not a 500."""

    def perform_create(self, serializer):
        try:
            with transaction.atomic():
                super().perform_create(serializer)
        except IntegrityError as exc:
            raise ConflictError(
                "A setting with this key already exists.", code="duplicate"
            ) from exc

    def perform_update(self, serializer):
        try:
            with transaction.atomic():
                super().perform_update(serializer)
        except IntegrityError as exc:
            raise ConflictError(
                "A setting with this key already exists.", code="duplicate"
            ) from exc


class SystemSettingViewSet(UniqueKeyMixin, viewsets.ModelViewSet):
    """Installation-wide settings: any signed-in user reads, staff write."""

    queryset = SystemSetting.objects.all()
    serializer_class = s.SystemSettingSerializer
    search_fields = ["key"]

    def get_permissions(self):
        if self.request.method in SAFE_METHODS:
            return [IsAuthenticated()]
        return [IsStaff()]


class AccountSettingViewSet(UniqueKeyMixin, TenantModelViewSet):
    """Account-wide key/value settings; admins write. `namespace` picks general or AI."""

    model = AccountSetting
    serializer_class = s.AccountSettingSerializer
    namespace = AccountSetting.Namespace.GENERAL
    write_role = Role.ADMIN
    api_scope = "system"
    search_fields = ["key"]

    def safely_get_queryset(self, queryset):
        return queryset.filter(namespace=self.namespace)

    def perform_create(self, serializer):
        serializer.validated_data["namespace"] = self.namespace
        super().perform_create(serializer)


class AISettingViewSet(AccountSettingViewSet):
    namespace = AccountSetting.Namespace.AI


class ModuleSettingViewSet(UniqueKeyMixin, TenantModelViewSet):
    model = ModuleSetting
    serializer_class = s.ModuleSettingSerializer
    write_role = Role.ADMIN
    api_scope = "system"
    filterset_fields = ["module_name", "enabled"]

    @extend_schema(responses=s.ModuleSettingsOutput)
    @action(detail=False, methods=["get"], url_path=r"module/(?P<module_name>[\w-]+)")
    def module(self, request, module_name=None):
        row = self.get_queryset().filter(module_name=module_name).first()
        return ok(
            {
                "module": module_name,
                "enabled": row.enabled if row else True,
                "settings": row.config if row else {},
            }
        )


class UserSettingViewSet(UniqueKeyMixin, TenantModelViewSet):
    """The signed-in user's own settings in the active account."""

    model = UserSetting
    serializer_class = s.UserSettingSerializer
    write_role = Role.VIEWER
    api_scope = "system"
    search_fields = ["key"]

    def safely_get_queryset(self, queryset):
        return queryset.filter(user_id=tenancy.require().user_id)

    def perform_create(self, serializer):
        serializer.validated_data["user_id"] = tenancy.require().user_id
        super().perform_create(serializer)


class StatusView(APIView):
    """Health of the database, cache, broker and workers; 503 when a required part is down."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(responses={200: s.StatusOutput, 503: s.StatusDownOutput}, tags=["system"])
    def get(self, request):
        healthy, checks = health.run_all()
        body = {
            "status": "healthy" if healthy else "unhealthy",
            "version": settings.FLOWLINE_VERSION,
            # Outside services answered by the built-in sandbox providers (docs/sandbox.md).
            "sandbox": settings.FLOWLINE_SANDBOX,
            **checks,
            "checks": checks,
        }
        if healthy:
            return ok(body)
        # The error envelope, so clients and probes read one shape for every failure,
        # with the full report alongside.
        down = {name: state for name, state in checks.items() if state.startswith("down")}
        error = error_body(
            message="A required part of Flowline is down.",
            code="service_unavailable",
            errors=down,
            request=request,
            data=body,
        )
        return EnvelopedResponse(error, status=503)


class RequestMetricsView(APIView):
    """One request's figures, kept for `FLOWLINE_REQUEST_METRICS_TTL` seconds: admins and
    owners read any of the account's requests, other members their own. Requests of
    other accounts, unauthenticated ones and expired ones are 404."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    api_scope = "system"

    @extend_schema(responses=s.RequestMetricsOutput, tags=["system"])
    def get(self, request, request_id: str):
        ctx = tenancy.require()
        entry = None
        if REQUEST_ID.fullmatch(request_id):
            entry = request_metrics_get(account_id=ctx.account_id, request_id=request_id)
        if entry is None or not (entry["user_id"] == ctx.user_id or at_least(ctx.role, Role.ADMIN)):
            raise NotFoundError("No metrics for this request (unknown or expired).")
        return ok(entry)


class GiteaWebhookView(APIView):
    """Gitea's signed deliveries (see `system.gitea`). No login: the signature over the
    raw body is the authentication."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter(
                "X-Gitea-Signature",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="Hex HMAC-SHA256 of the raw body with the secret.",
            ),
            OpenApiParameter(
                "X-Gitea-Delivery",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="The delivery's id; a repeated one is refused.",
            ),
            OpenApiParameter(
                "X-Gitea-Event", str, OpenApiParameter.HEADER, description="push, pull_request, ..."
            ),
        ],
        # Errors (the error envelope): 400 no delivery id or not a JSON object, 401 bad
        # signature, 409 a delivery id seen before, 503 GITEA_WEBHOOK_SECRET not set.
        responses={200: s.GiteaDeliveryOutput},
        tags=["system"],
    )
    def post(self, request):
        delivery = gitea_delivery_receive(
            body=request.body,
            signature=request.headers.get("X-Gitea-Signature")
            or request.headers.get("X-Hub-Signature-256"),
            delivery_id=request.headers.get("X-Gitea-Delivery"),
            event=request.headers.get("X-Gitea-Event"),
        )
        return ok(
            {
                "delivery_id": delivery.delivery_id,
                "event": delivery.event,
                "repository": delivery.repository,
                "ref": delivery.ref,
                "summary": delivery.summary,
            },
            message="Webhook processed",
        )
