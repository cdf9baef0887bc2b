from rest_framework import serializers

from flowline.billing.models import Plan, Subscription
from flowline.core.serializers import IdField, ModelSerializer, StrictInputSerializer


class PlanSerializer(ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "price_monthly",
            "currency",
            "monthly_credits",
            "max_sites",
            "max_users",
            "max_keywords",
            "max_clusters",
            "max_ideas",
            "max_ai_requests",
            "features",
            "rate_limits",
            "is_default",
        ]


class SubscriptionSerializer(ModelSerializer):
    plan_detail = PlanSerializer(source="plan", read_only=True)

    class Meta:
        model = Subscription
        fields = [
            "id",
            "account",
            "plan",
            "plan_detail",
            "status",
            "current_period_start",
            "current_period_end",
            "cancel_at_period_end",
            "pending_plan",
            "created_at",
        ]
        read_only_fields = fields


def _active_plan(plan_id: int | None) -> Plan | None:
    """An offered plan by id (`IdField` already refused floats and out-of-range ids)."""
    if plan_id is None:
        return None
    plan = Plan.objects.filter(id=plan_id, is_active=True).first()
    if plan is None:
        raise serializers.ValidationError("Unknown plan.")
    return plan


class SubscriptionCreateInput(StrictInputSerializer):
    plan = IdField()

    def validate_plan(self, value):
        return _active_plan(value)


class SubscriptionChangeInput(StrictInputSerializer):
    """`plan`: the plan from the next period on (null withdraws a scheduled change)."""

    plan = IdField(allow_null=True, required=False)
    cancel_at_period_end = serializers.BooleanField(required=False)

    def validate_plan(self, value):
        return _active_plan(value)
