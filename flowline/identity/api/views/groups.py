"""003 `auth/groups/`: the roles as permission groups (see identity.roles_catalog)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from flowline.core.envelope import ok
from flowline.core.errors import NotFoundError
from flowline.core.pagination import EnvelopePagination
from flowline.core.permissions import HasAccountRole
from flowline.core.roles import Role
from flowline.identity import roles_catalog


class RoleGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The role's rank: 1 viewer … 4 owner.")
    name = serializers.CharField(help_text="The role as memberships store it.")
    label = serializers.CharField()
    permissions = serializers.ListField(
        child=serializers.CharField(),
        help_text='"<resource>.<action>" for every endpoint action the role may call.',
    )


def _render(group: roles_catalog.RoleGroup) -> dict:
    return {
        "id": group.id,
        "name": group.name,
        "label": group.label,
        "permissions": list(group.permissions),
    }


@extend_schema(tags=["auth"])
class GroupViewSet(viewsets.ViewSet):
    """Every member may read which role may do what; roles are fixed, so read-only."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    read_role = Role.VIEWER
    api_scope = "users"
    lookup_value_regex = r"[0-9]+"
    pagination_class = EnvelopePagination  # pages by hand; the schema says so

    @extend_schema(responses=RoleGroupSerializer(many=True))
    def list(self, request):
        # Paged as every router list is (002 reads `count` and `results`), though short.
        paginator = EnvelopePagination()
        page = paginator.paginate_queryset(list(roles_catalog.role_groups()), request, view=self)
        return paginator.get_paginated_response([_render(group) for group in page])

    @extend_schema(
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=RoleGroupSerializer,
    )
    def retrieve(self, request, pk=None):
        group = roles_catalog.role_group(int(pk))
        if group is None:
            raise NotFoundError("No such group.")
        return ok(_render(group))
