"""What other apps may ask of billing."""

from datetime import timedelta

from django.utils import timezone

from flowline.billing.models import Plan, Subscription


def subscription_start_default(*, account_id: int) -> int | None:
    """Subscribe a new account to the default plan; returns the subscription id."""
    plan = Plan.objects.filter(is_default=True, is_active=True).first()
    if plan is None:
        return None
    now = timezone.now()
    subscription = Subscription.unscoped.create(
        account_id=account_id,
        plan=plan,
        status=Subscription.Status.ACTIVE,
        current_period_start=now,
        current_period_end=now + timedelta(days=30),
    )
    return subscription.id


def active_plan_name(account_id: int) -> str | None:
    subscription = (
        Subscription.unscoped.filter(account_id=account_id, status=Subscription.Status.ACTIVE)
        .select_related("plan")
        .first()
    )
    return subscription.plan.name if subscription else None
