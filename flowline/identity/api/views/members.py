"""Members of the active account (003 `auth/users/`, 002 `account/team/`) and invitations."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.roles import Role
from flowline.core.viewsets import (
    DestroyModelMixin,
    TenantModelViewSet,
    TenantViewSetMixin,
    created,
)
from flowline.identity.api import serializers as s
from flowline.identity.models import Invitation, Membership
from flowline.identity.services import invitations, members


def _invite(request):
    payload = s.InviteInput(data=request.data)
    payload.is_valid(raise_exception=True)
    ctx = tenancy.require()
    invitation = invitations.invitation_create(
        account_id=ctx.account_id,
        invited_by=request.user,
        inviter_role=ctx.role,
        **payload.validated_data,
    )
    return created(s.InvitationSerializer(invitation).data, message="Invitation sent.")


class UserViewSet(TenantModelViewSet):
    """Members of the active account, addressed by user id. Admins and owners only."""

    model = Membership
    serializer_class = s.MemberSerializer
    lookup_field = "user_id"
    lookup_url_kwarg = "pk"
    read_role = Role.ADMIN
    write_role = Role.ADMIN
    api_scope = "users"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    ordering_fields = ["created_at", "role", "user__email"]
    filterset_fields = ["role", "is_active"]

    def safely_get_queryset(self, queryset):
        return queryset.select_related("user")

    @extend_schema(request=s.MemberCreateInput, responses={201: s.MemberSerializer})
    def create(self, request):
        payload = s.MemberCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        ctx = tenancy.require()
        membership = members.member_create(
            account_id=ctx.account_id, actor_role=ctx.role, **payload.validated_data
        )
        return created(s.MemberSerializer(membership).data, message="User created.")

    def perform_update(self, serializer):
        members.member_update(
            membership=serializer.instance,
            actor_role=tenancy.require().role,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        members.member_remove(membership=instance, actor_role=tenancy.require().role)

    @extend_schema(request=s.InviteInput, responses={201: s.InvitationSerializer})
    @action(detail=False, methods=["post"])
    def invite(self, request):
        return _invite(request)

    @extend_schema(request=None, responses=s.MemberSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        membership = members.member_set_active(
            membership=self.get_object(), actor_role=tenancy.require().role, active=True
        )
        return ok(s.MemberSerializer(membership).data, message="User activated.")

    @extend_schema(request=None, responses=s.MemberSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        membership = members.member_set_active(
            membership=self.get_object(), actor_role=tenancy.require().role, active=False
        )
        return ok(s.MemberSerializer(membership).data, message="User deactivated.")


class TeamViewSet(
    TenantViewSetMixin, mixins.ListModelMixin, DestroyModelMixin, viewsets.GenericViewSet
):
    """002 `account/team/`: every member may see the team; admins invite and remove."""

    model = Membership
    serializer_class = s.MemberSerializer
    lookup_field = "user_id"
    lookup_url_kwarg = "pk"
    action_roles = {"create": Role.ADMIN, "destroy": Role.ADMIN}
    api_scope = "users"
    search_fields = ["user__email", "user__first_name", "user__last_name"]

    def safely_get_queryset(self, queryset):
        return queryset.select_related("user")

    @extend_schema(request=s.InviteInput, responses={201: s.InvitationSerializer})
    def create(self, request):
        return _invite(request)

    def perform_destroy(self, instance):
        members.member_remove(membership=instance, actor_role=tenancy.require().role)


class InvitationViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Invitations of the active account; deleting one revokes it."""

    model = Invitation
    serializer_class = s.InvitationSerializer
    read_role = Role.ADMIN
    write_role = Role.ADMIN
    api_scope = "users"
    filterset_fields = ["status", "role"]
    search_fields = ["email"]

    def perform_destroy(self, instance):
        instance.status = Invitation.Status.REVOKED
        instance.save(update_fields=["status"])
