from flowline.billing.models import Plan, Subscription
from flowline.core.serializers import ModelSerializer


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
            "created_at",
        ]
        read_only_fields = ["id", "account", "plan_detail", "created_at"]
