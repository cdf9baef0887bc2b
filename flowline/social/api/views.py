"""001/000 social accounts: `social/accounts/` (list, detail, update, disconnect), the
OAuth connect flow, and each platform's posting rules."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.views import APIView

from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.roles import Role
from flowline.core.viewsets import DestroyModelMixin, TenantViewSetMixin, created
from flowline.social import selectors
from flowline.social.api import serializers as s
from flowline.social.models import SocialAccount
from flowline.social.services import accounts

TAGS = ["social"]


def _connect_init(platform: str, site) -> dict:
    ctx = tenancy.require()
    return accounts.connect_init(
        account_id=ctx.account_id,
        user_id=ctx.user_id,
        platform=platform,
        site_id=site.pk if site else None,
    )


class SocialAccountViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Connected accounts. Viewers read; admins connect, change and disconnect them
    (POST starts connecting: it answers the platform's consent URL). DELETE and
    `disconnect` forget the tokens but keep the account, so its posts keep their history."""

    model = SocialAccount
    serializer_class = s.SocialAccountSerializer
    write_role = Role.ADMIN
    filterset_fields = ["platform", "status", "site"]
    search_fields = ["name", "username", "external_id"]
    ordering_fields = ["platform", "name", "created_at", "status"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @extend_schema(
        request=s.ConnectInput, responses={200: s.SocialConnectInitSerializer}, tags=TAGS
    )
    def create(self, request, *args, **kwargs):
        payload = s.ConnectInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        return ok(_connect_init(data["platform"], data.get("site")))

    @extend_schema(request=s.SocialAccountUpdateInput, responses=s.SocialAccountSerializer)
    def partial_update(self, request, *args, **kwargs):
        account = self.get_object()
        payload = s.SocialAccountUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        accounts.account_update(social_account=account, data=payload.validated_data)
        return ok(s.SocialAccountSerializer(account).data, message="Account updated.")

    def perform_destroy(self, instance):
        accounts.account_disconnect(social_account=instance)

    @extend_schema(request=None, responses=s.SocialAccountSerializer)
    @action(detail=True, methods=["post"])
    def disconnect(self, request, pk=None):
        account = accounts.account_disconnect(social_account=self.get_object())
        return ok(s.SocialAccountSerializer(account).data, message="Account disconnected.")

    @extend_schema(responses=s.PlatformRulesSerializer(many=True), tags=TAGS)
    @action(detail=False, methods=["get"], pagination_class=None)
    def platforms(self, request):
        """Each platform's limits (text length, media count and types, links)."""
        return ok(selectors.platforms_rules())


class ConnectView(APIView):
    permission_classes = TenantViewSetMixin.permission_classes
    read_role = Role.ADMIN
    write_role = Role.ADMIN
    api_scope = "social"


class ConnectInitView(ConnectView):
    """Start connecting: the platform's consent URL (state signed; PKCE for X)."""

    @extend_schema(request=s.ConnectSiteInput, responses=s.SocialConnectInitSerializer, tags=TAGS)
    def post(self, request, platform):
        payload = s.ConnectSiteInput(data=request.data)
        payload.is_valid(raise_exception=True)
        return ok(_connect_init(platform, payload.validated_data.get("site")))


class ConnectCallbackView(ConnectView):
    """Finish connecting: exchange the code; every page / account / number the login
    covers is saved (reconnecting one updates it in place)."""

    def _finish(self, data):
        payload = s.SocialConnectCallbackInput(data=data)
        payload.is_valid(raise_exception=True)
        ctx = tenancy.require()
        connected = accounts.connect_callback(
            account_id=ctx.account_id, user_id=ctx.user_id, **payload.validated_data
        )
        return created(
            s.SocialAccountSerializer(connected, many=True).data,
            message=f"{len(connected)} account(s) connected.",
        )

    @extend_schema(
        request=s.SocialConnectCallbackInput,
        responses={201: s.SocialAccountSerializer(many=True)},
        tags=TAGS,
    )
    def post(self, request):
        return self._finish(request.data)

    @extend_schema(
        parameters=[OpenApiParameter("code", str), OpenApiParameter("state", str)],
        responses={201: s.SocialAccountSerializer(many=True)},
        tags=TAGS,
    )
    def get(self, request):
        params = request.query_params
        return self._finish({k: params[k] for k in ("code", "state") if k in params})
