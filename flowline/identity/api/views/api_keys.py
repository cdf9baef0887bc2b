"""API keys of the active account: create (secret shown once), list, revoke, usage log."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.pagination import EnvelopePagination
from flowline.core.roles import Role
from flowline.core.viewsets import DestroyModelMixin, TenantViewSetMixin, created
from flowline.identity import selectors
from flowline.identity.api import serializers as s
from flowline.identity.models import ApiKey
from flowline.identity.services import api_keys


class ApiKeyViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Admins manage the account's API keys. Deleting a key revokes it (its log stays)."""

    model = ApiKey
    serializer_class = s.ApiKeySerializer
    read_role = Role.ADMIN
    write_role = Role.ADMIN
    api_scope = "api_keys"
    search_fields = ["name", "prefix"]

    def safely_get_queryset(self, queryset):
        return queryset.select_related("created_by")

    @extend_schema(request=s.ApiKeyInput, responses={201: s.IssuedApiKeySerializer})
    def create(self, request):
        payload = s.ApiKeyInput(data=request.data)
        payload.is_valid(raise_exception=True)
        ctx = tenancy.require()
        issued = api_keys.api_key_create(
            account_id=ctx.account_id,
            user=request.user,
            within_scopes=request.auth.scopes if isinstance(request.auth, ApiKey) else None,
            **payload.validated_data,
        )
        data = s.ApiKeySerializer(issued.api_key).data | {"key": issued.secret}
        return created(data, message="API key created. Copy the key now: it is not shown again.")

    def destroy(self, request, pk=None):
        api_key = api_keys.api_key_revoke(api_key=self.get_object())
        return ok(s.ApiKeySerializer(api_key).data, message="API key revoked.")

    @extend_schema(responses=s.ApiKeyUsageSerializer(many=True))
    @action(detail=True, methods=["get"])
    def usage(self, request, pk=None):
        api_key = self.get_object()
        paginator = EnvelopePagination()
        page = paginator.paginate_queryset(
            selectors.api_key_usage(api_key=api_key), request, view=self
        )
        return paginator.get_paginated_response(s.ApiKeyUsageSerializer(page, many=True).data)
