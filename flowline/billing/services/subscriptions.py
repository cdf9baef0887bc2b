"""Monthly renewal: each due subscription rolls to its next period and grants its credits."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from flowline.billing.models import CreditTransaction, Subscription
from flowline.billing.public import PERIOD
from flowline.billing.services import credits


@transaction.atomic
def subscription_renew(*, subscription_id: int, now: datetime | None = None) -> bool:
    """Roll one subscription over if its period ended. Safe to run twice: the grant of a
    period is keyed by subscription and period start."""
    now = now or timezone.now()
    subscription = (
        Subscription.unscoped.select_for_update().select_related("plan").get(id=subscription_id)
    )
    if subscription.status != Subscription.Status.ACTIVE or subscription.current_period_end > now:
        return False
    credits.granted_expire(account_id=subscription.account_id, now=subscription.current_period_end)
    if subscription.cancel_at_period_end:
        subscription.status = Subscription.Status.CANCELED
        subscription.save(update_fields=["status", "updated_at"])
        return True
    while subscription.current_period_end <= now:  # catch up if renewals were missed
        subscription.current_period_start = subscription.current_period_end
        subscription.current_period_end = subscription.current_period_start + PERIOD
    subscription.save(update_fields=["current_period_start", "current_period_end", "updated_at"])
    reference = f"sub:{subscription.id}:{subscription.current_period_start.isoformat()}"
    plan = subscription.plan
    already = CreditTransaction.unscoped.filter(
        account_id=subscription.account_id, reference=reference[:100]
    ).exists()
    if plan.monthly_credits and not already:
        credits.credits_grant(
            account_id=subscription.account_id,
            amount=plan.monthly_credits,
            transaction_type=credits.Type.SUBSCRIPTION,
            description=f"{plan.name} plan credits",
            reference=reference,
            expires_at=subscription.current_period_end,
        )
    return True


def subscriptions_renew_due(*, now: datetime | None = None) -> int:
    """Renew every subscription whose period has ended (the scheduler runs this hourly)."""
    now = now or timezone.now()
    due = Subscription.unscoped.filter(
        status=Subscription.Status.ACTIVE, current_period_end__lte=now
    ).values_list("id", flat=True)
    return sum(subscription_renew(subscription_id=sid, now=now) for sid in list(due))
