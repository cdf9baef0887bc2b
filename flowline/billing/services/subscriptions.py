"""Subscriptions: created and changed by admins (003 `auth/subscriptions/`), renewed
monthly with their credits.

The rules (docs/api-guide.md, "Subscriptions"): money only comes in through checkout or
a bank transfer, so a subscription a member creates directly is a free plan, and moving
to a pricier plan is a checkout (it starts at once, with its credits). Other plan changes
wait for the end of the period -- no proration, nothing refunded, this period's credits
stay until they expire -- and renewal switches the plan. A subscription billed by Stripe
is changed through checkout or cancellation, never by editing it here, so Flowline never
disagrees with what Stripe charges.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from flowline.billing.models import CreditTransaction, Plan, Subscription
from flowline.billing.public import PERIOD, subscription_start
from flowline.billing.services import credits
from flowline.core.errors import ConflictError, PaymentRequiredError

CHECKOUT_PATH = "/api/v1/billing/subscriptions/checkout/"


def _checkout_required(plan: Plan) -> PaymentRequiredError:
    return PaymentRequiredError(
        f"The {plan.name} plan is paid: start it through checkout.",
        code="checkout_required",
        extra={"checkout": CHECKOUT_PATH, "plan": plan.id},
    )


@transaction.atomic
def subscription_create(*, account_id: int, plan: Plan) -> Subscription:
    """Subscribe an account that has no active subscription. Free plans start now with
    their credits; a paid plan is 402 `checkout_required` (payment starts it)."""
    active = Subscription.unscoped.select_for_update().filter(
        account_id=account_id, status=Subscription.Status.ACTIVE
    )
    if active.exists():
        raise ConflictError(
            "The account already has an active subscription: change it instead.",
            code="subscription_exists",
        )
    if plan.price_monthly > 0:
        raise _checkout_required(plan)
    return subscription_start(account_id=account_id, plan=plan)


_UNSET = object()


@transaction.atomic
def subscription_change(
    *,
    subscription_id: int,
    plan: Plan | object | None = _UNSET,
    cancel_at_period_end: bool | None = None,
) -> Subscription:
    """Schedule a plan change for the period's end (`plan=None` withdraws one) and/or
    set `cancel_at_period_end`. A pricier plan is 402 `checkout_required`; a Stripe-billed
    or ended subscription is 409."""
    subscription = (
        Subscription.unscoped.select_for_update(of=("self",))
        .select_related("plan")
        .get(id=subscription_id)
    )
    if subscription.status != Subscription.Status.ACTIVE:
        raise ConflictError("Only an active subscription can change.", code="not_active")
    if subscription.external_id:
        raise ConflictError(
            "This subscription is billed by card: check out the new plan or cancel it.",
            code="billed_by_stripe",
        )
    if plan is not _UNSET:
        if plan is not None and plan.price_monthly > subscription.plan.price_monthly:
            raise _checkout_required(plan)
        subscription.pending_plan = None if plan is None or plan == subscription.plan else plan
    if cancel_at_period_end is not None:
        subscription.cancel_at_period_end = cancel_at_period_end
    subscription.save(update_fields=["pending_plan", "cancel_at_period_end", "updated_at"])
    return subscription


@transaction.atomic
def subscription_renew(*, subscription_id: int, now: datetime | None = None) -> bool:
    """Roll one subscription over if its period ended. Safe to run twice: the grant of a
    period is keyed by subscription and period start."""
    now = now or timezone.now()
    subscription = (
        Subscription.unscoped.select_for_update(of=("self",))
        .select_related("plan", "pending_plan")
        .get(id=subscription_id)
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
    if subscription.pending_plan_id is not None:  # a change scheduled for this boundary
        subscription.plan, subscription.pending_plan = subscription.pending_plan, None
    subscription.save(
        update_fields=[
            "current_period_start",
            "current_period_end",
            "plan",
            "pending_plan",
            "updated_at",
        ]
    )
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
