"""003 System module: settings at each level, and `system/status/`."""

from django.conf import settings
from django.db import IntegrityError, transaction
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated
from rest_framework.views import APIView

from flowline.core import tenancy
from flowline.core.envelope import EnvelopedResponse, error_body, ok
from flowline.core.errors import ConflictError
from flowline.core.permissions import IsStaff
from flowline.core.roles import Role
from flowline.core.viewsets import TenantModelViewSet
from flowline.system import health
from flowline.system.api import serializers as s
from flowline.system.models import AccountSetting, ModuleSetting, SystemSetting, UserSetting


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
