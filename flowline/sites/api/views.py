"""003 `auth/sites/`, `auth/sectors/`, `auth/site-access/`; Syncflow's `brands/` is the
same site endpoint under its own name."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from flowline.core.envelope import ok
from flowline.core.roles import Role
from flowline.core.viewsets import (
    BulkDeleteMixin,
    DestroyModelMixin,
    TenantModelViewSet,
    TenantViewSetMixin,
    created,
)
from flowline.sites import selectors, services
from flowline.sites.api import serializers as s
from flowline.sites.models import Sector, Site, SiteUserAccess


class SiteViewSet(BulkDeleteMixin, TenantModelViewSet):
    """Editors edit sites; admins create and delete them."""

    model = Site
    serializer_class = s.SiteSerializer
    action_roles = {
        "create": Role.ADMIN,
        "destroy": Role.ADMIN,
        "bulk_delete": Role.ADMIN,
        "set_active": Role.VIEWER,
    }
    filterset_fields = ["status", "industry"]
    search_fields = ["name", "url", "description"]
    ordering_fields = ["name", "created_at"]

    def perform_create(self, serializer):
        serializer.instance = services.site_create(**serializer.validated_data)

    def perform_update(self, serializer):
        services.site_update(site=serializer.instance, **serializer.validated_data)

    @extend_schema(responses=s.SectorSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def sectors(self, request, pk=None):
        site = self.get_object()
        return ok(s.SectorSerializer(selectors.sectors_of_site(site=site), many=True).data)

    @extend_schema(request=None, responses=s.SiteSerializer)
    @action(detail=True, methods=["post"])
    def set_active(self, request, pk=None):
        site = self.get_object()
        services.site_set_active(site=site, user_id=request.user.id)
        return ok(s.SiteSerializer(site).data, message="Active site set.")

    @extend_schema(request=s.SelectSectorsInput, responses=s.SectorSerializer(many=True))
    @action(detail=True, methods=["post"])
    def select_sectors(self, request, pk=None):
        site = self.get_object()
        payload = s.SelectSectorsInput(data=request.data)
        payload.is_valid(raise_exception=True)
        sectors = services.sectors_select(site=site, **payload.validated_data)
        return ok(s.SectorSerializer(sectors, many=True).data, message="Sectors selected.")


class SectorViewSet(BulkDeleteMixin, TenantModelViewSet):
    model = Sector
    serializer_class = s.SectorSerializer
    filterset_fields = {"site": ["exact"], "is_active": ["exact"]}
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]

    def perform_create(self, serializer):
        serializer.instance = services.sector_create(**serializer.validated_data)

    def perform_update(self, serializer):
        services.sector_update(sector=serializer.instance, **serializer.validated_data)


class SiteAccessViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Owners and admins grant, move (PUT/PATCH: another member or site) and revoke
    members' access to single sites."""

    model = SiteUserAccess
    serializer_class = s.SiteAccessSerializer
    read_role = Role.ADMIN
    write_role = Role.ADMIN
    filterset_fields = ["user", "site"]
    api_scope = "sites"

    def safely_get_queryset(self, queryset):
        return selectors.site_access_for_list(queryset)

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access, is_new = services.site_access_grant(
            user_id=serializer.validated_data["user"].id,
            site=serializer.validated_data["site"],
            granted_by_id=request.user.id,
        )
        data = s.SiteAccessSerializer(access).data
        if not is_new:
            return ok(data, message="Access was already granted.")
        return created(data, message="Access granted.")

    def perform_update(self, serializer):
        data = serializer.validated_data
        access = serializer.instance
        serializer.instance = services.site_access_update(
            access=access,
            user_id=data["user"].id if "user" in data else access.user_id,
            site=data.get("site", access.site),
            granted_by_id=self.request.user.id,
        )
