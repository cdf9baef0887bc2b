"""Accounts the user belongs to (003 `auth/accounts/`) and the active account's settings
and usage (002 `account/settings/`, `account/usage/analytics/`)."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.permissions import HasAccountRole
from flowline.core.roles import Role, at_least
from flowline.core.viewsets import created
from flowline.identity import selectors
from flowline.identity.api import serializers as s
from flowline.identity.models import Account
from flowline.identity.services import accounts as account_services


class AccountViewSet(viewsets.ModelViewSet):
    """Accounts the user is a member of. Admins update; only the owner deletes.

    Not tenant-scoped (a user sees each account they belong to); another account is 404.
    """

    serializer_class = s.AccountSerializer
    permission_classes = [IsAuthenticated]
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        fake = getattr(self, "swagger_fake_view", False)
        return selectors.accounts_of_user(user=None if fake else self.request.user)

    def _role_in(self, account: Account) -> str:
        return selectors.role_in_account(account=account, user=self.request.user)

    def create(self, request):
        payload = s.AccountSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        account = account_services.account_create(
            owner=request.user, name=payload.validated_data["name"]
        )
        return created(s.AccountSerializer(account).data, message="Account created.")

    def perform_update(self, serializer):
        if not at_least(self._role_in(serializer.instance), Role.ADMIN):
            raise PermissionDenied("Only admins and owners can change the account.")
        serializer.save()

    def destroy(self, request, pk=None):
        account_services.account_delete(account=self.get_object(), by=request.user)
        return ok(None, message="Account deleted.")


class AccountSettingsView(APIView):
    """The active account's own settings (name, billing email, timezone, language)."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    write_role = Role.ADMIN
    api_scope = "account"

    def _account(self):
        return selectors.account_get(account_id=tenancy.require().account_id)

    @extend_schema(responses=s.AccountSerializer, tags=["account"])
    def get(self, request):
        return ok(s.AccountSerializer(self._account()).data)

    @extend_schema(request=s.AccountSerializer, responses=s.AccountSerializer, tags=["account"])
    def patch(self, request):
        serializer = s.AccountSerializer(self._account(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return ok(serializer.data, message="Settings saved.")

    put = patch


class UsageAnalyticsView(APIView):
    """What the active account uses: members, sites, API calls, and what apps register."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    api_scope = "account"

    @extend_schema(responses=dict, tags=["account"])
    def get(self, request):
        return ok(selectors.usage_analytics(account_id=tenancy.require().account_id))
