"""003 Billing credits: balance, usage (summary, limits), transactions, estimate."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView

from flowline.billing import selectors
from flowline.billing.models import CreditBalance, CreditTransaction, CreditUsage
from flowline.billing.services import credits
from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.filters import FilterSet
from flowline.core.large_pagination import GrowingListPagination
from flowline.core.roles import Role
from flowline.core.serializers import ModelSerializer, Serializer, StrictInputSerializer
from flowline.core.viewsets import TenantReadOnlyViewSet, TenantViewSetMixin


class BalanceSerializer(Serializer):
    credits = serializers.IntegerField()
    granted = serializers.IntegerField()
    purchased = serializers.IntegerField()
    held = serializers.IntegerField()
    available = serializers.IntegerField()
    granted_expires_at = serializers.DateTimeField(allow_null=True)
    plan = serializers.CharField(allow_null=True)
    plan_credits_per_month = serializers.IntegerField()
    credits_used_this_month = serializers.IntegerField()
    credits_remaining = serializers.IntegerField()
    low_balance_threshold = serializers.IntegerField()


class UsageLimitsOutput(Serializer):
    """Every limit of the plan (`max_<thing>`) and the usage of each (`<thing>`)."""

    plan = serializers.CharField(allow_null=True)
    plan_limits = serializers.DictField(child=serializers.IntegerField())
    current_usage = serializers.DictField(child=serializers.IntegerField())
    period_start = serializers.DateTimeField(allow_null=True)
    period_end = serializers.DateTimeField(allow_null=True)
    rate_limits = serializers.DictField(
        child=serializers.CharField(), help_text="The plan's raised throttle rates by scope."
    )


class BalanceSettingsInput(StrictInputSerializer):
    low_balance_threshold = serializers.IntegerField(min_value=0, max_value=10_000_000)


class EstimateInput(StrictInputSerializer):
    operation_type = serializers.CharField(max_length=50)
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000, default=1)


class EstimateOutput(Serializer):
    operation_type = serializers.CharField()
    quantity = serializers.IntegerField()
    unit = serializers.CharField()
    credits = serializers.IntegerField()
    available = serializers.IntegerField()
    sufficient = serializers.BooleanField()


class TransactionSerializer(ModelSerializer):
    class Meta:
        model = CreditTransaction
        fields = [
            "id",
            "transaction_type",
            "amount",
            "granted_change",
            "purchased_change",
            "balance_after",
            "description",
            "operation_type",
            "reference",
            "created_at",
        ]


class UsageSerializer(ModelSerializer):
    class Meta:
        model = CreditUsage
        fields = [
            "id",
            "operation_type",
            "credits_used",
            "cost_usd",
            "tokens_in",
            "tokens_out",
            "model",
            "job_id",
            "created_at",
        ]


class DateRangeFilterSet(FilterSet):
    start_date = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    end_date = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")


class TransactionFilterSet(DateRangeFilterSet):
    class Meta:
        model = CreditTransaction
        fields = ["transaction_type"]


class UsageFilterSet(DateRangeFilterSet):
    class Meta:
        model = CreditUsage
        fields = ["operation_type"]


class CreditBalanceView(TenantViewSetMixin, GenericAPIView):
    """002 `billing/credits/balance`: the same live balance as `.../balance/balance/`."""

    model = CreditBalance
    serializer_class = BalanceSerializer
    api_scope = "billing"
    pagination_class = None
    filter_backends = []

    @extend_schema(responses=BalanceSerializer, tags=["billing"])
    def get(self, request):
        return ok(selectors.balance_summary(tenancy.require().account_id))


class CreditBalanceViewSet(TenantViewSetMixin, viewsets.GenericViewSet):
    """`billing/credits/balance/balance/`: the live balance (not a periodic sum)."""

    model = CreditBalance
    serializer_class = BalanceSerializer
    api_scope = "billing"
    action_roles = {"update_settings": Role.ADMIN}
    pagination_class = None

    @extend_schema(responses=BalanceSerializer)
    @action(detail=False, methods=["get"])
    def balance(self, request):
        return ok(selectors.balance_summary(tenancy.require().account_id))

    @extend_schema(request=BalanceSettingsInput, responses=BalanceSerializer)
    @action(detail=False, methods=["patch"], url_path="settings")
    def update_settings(self, request):
        payload = BalanceSettingsInput(data=request.data)
        payload.is_valid(raise_exception=True)
        account_id = tenancy.require().account_id
        credits.balance_settings_update(account_id=account_id, **payload.validated_data)
        return ok(selectors.balance_summary(account_id), message="Saved.")

    @extend_schema(request=EstimateInput, responses=EstimateOutput)
    @action(detail=False, methods=["post"])
    def estimate(self, request):
        payload = EstimateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        cost = credits.estimate(**payload.validated_data)
        available = selectors.balance_summary(tenancy.require().account_id)["available"]
        return ok(
            {
                "operation_type": cost.operation_type,
                "quantity": cost.quantity,
                "unit": cost.unit,
                "credits": cost.credits,
                "available": available,
                "sufficient": available >= cost.credits,
            }
        )


class CreditUsageViewSet(TenantReadOnlyViewSet):
    model = CreditUsage
    serializer_class = UsageSerializer
    filterset_class = UsageFilterSet
    ordering_fields = ["created_at", "credits_used"]
    api_scope = "billing"

    @extend_schema(responses=dict)
    @action(detail=False, methods=["get"])
    def summary(self, request):
        filtered = self.filter_queryset(self.get_queryset())
        return ok(selectors.usage_summary_of(filtered))

    @extend_schema(responses=UsageLimitsOutput)
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def limits(self, request):
        return ok(selectors.usage_limits(tenancy.require().account_id))


class CreditTransactionViewSet(TenantReadOnlyViewSet):
    """The credit ledger, newest first: `billing/credits/transactions/` (003) and
    `billing/transactions/` (002), one ledger under both names."""

    model = CreditTransaction
    serializer_class = TransactionSerializer
    filterset_class = TransactionFilterSet
    pagination_class = GrowingListPagination
    ordering_fields = ["created_at", "amount"]
    api_scope = "billing"
