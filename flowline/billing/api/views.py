"""003 `auth/plans/` (public) and `auth/subscriptions/` (admins read, create and change them
through billing's rules: `billing.services.subscriptions`)."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from flowline.billing import selectors
from flowline.billing.api import serializers as s
from flowline.billing.models import Subscription
from flowline.billing.services import subscriptions
from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.errors import NotFoundError
from flowline.core.public_views import PublicReadOnlyViewSet
from flowline.core.roles import Role
from flowline.core.viewsets import TenantReadOnlyViewSet, created


class PlanViewSet(PublicReadOnlyViewSet):
    queryset = selectors.plans_for_list()
    serializer_class = s.PlanSerializer


class SubscriptionViewSet(TenantReadOnlyViewSet):
    """The account's subscriptions: admins and owners read them, subscribe to a free
    plan, schedule a plan change for the period's end and cancel at the period's end."""

    model = Subscription
    serializer_class = s.SubscriptionSerializer
    read_role = Role.ADMIN
    write_role = Role.ADMIN
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
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

    @extend_schema(request=s.SubscriptionCreateInput, responses={201: s.SubscriptionSerializer})
    def create(self, request):
        payload = s.SubscriptionCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        subscription = subscriptions.subscription_create(
            account_id=tenancy.require().account_id, plan=payload.validated_data["plan"]
        )
        return created(s.SubscriptionSerializer(subscription).data, message="Subscribed.")

    @extend_schema(request=s.SubscriptionChangeInput, responses=s.SubscriptionSerializer)
    def update(self, request, pk=None, partial=False):
        subscription = self.get_object()
        payload = s.SubscriptionChangeInput(data=request.data, partial=partial)
        payload.is_valid(raise_exception=True)
        subscription = subscriptions.subscription_change(
            subscription_id=subscription.id, **payload.validated_data
        )
        return ok(s.SubscriptionSerializer(subscription).data, message="Saved.")

    @extend_schema(request=s.SubscriptionChangeInput, responses=s.SubscriptionSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    @extend_schema(request=None, responses=s.SubscriptionSerializer)
    def destroy(self, request, pk=None):
        """Cancel: the plan runs to the end of the paid period, then ends (nothing is
        deleted; the subscription's history stays)."""
        subscription = subscriptions.subscription_change(
            subscription_id=self.get_object().id, cancel_at_period_end=True
        )
        return ok(
            s.SubscriptionSerializer(subscription).data,
            message="Cancelled: the plan ends with the current period.",
        )
