"""003 `auth/plans/` (public) and `auth/subscriptions/` (admins read; staff change)."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from flowline.billing.api import serializers as s
from flowline.billing.models import Plan, Subscription
from flowline.core import tenancy
from flowline.core.errors import NotFoundError
from flowline.core.public_views import PublicReadOnlyViewSet
from flowline.core.roles import Role
from flowline.core.viewsets import TenantReadOnlyViewSet


class PlanViewSet(PublicReadOnlyViewSet):
    queryset = Plan.objects.filter(is_active=True)
    serializer_class = s.PlanSerializer


class SubscriptionViewSet(TenantReadOnlyViewSet):
    """The account's subscriptions, read by admins and owners. Plans change through
    billing (checkout, staff tools), never by editing a subscription row."""

    model = Subscription
    serializer_class = s.SubscriptionSerializer
    read_role = Role.ADMIN
    filterset_fields = ["status", "plan"]
    ordering_fields = ["created_at", "current_period_end"]

    def safely_get_queryset(self, queryset):
        return queryset.select_related("plan")

    @extend_schema(responses=s.SubscriptionSerializer(many=True))
    @action(detail=False, methods=["get"], url_path=r"by-account/(?P<account_id>\d+)")
    def by_account(self, request, account_id=None):
        if int(account_id) != tenancy.require().account_id:
            raise NotFoundError("Account not found.")
        return self.list(request)
