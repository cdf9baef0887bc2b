"""Reads of balances, usage and limits; aggregations run in the database."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils import timezone

from flowline.billing.models import (
    CreditBalance,
    CreditPackage,
    CreditTransaction,
    Plan,
    Subscription,
)
from flowline.billing.public import active_plan, plan_rate_limits

_LIMIT_COUNTERS: dict = {}


def register_limit_counter(limit: str, count) -> None:
    """Let an app report current usage for a plan limit: `count(account_id) -> int`
    (apps call `billing.public.register_limit_counter`)."""
    _LIMIT_COUNTERS[limit] = count


def limit_usage(account_id: int, limit: str) -> int:
    """The account's current usage of a plan limit, from the counter its app registered."""
    return _LIMIT_COUNTERS[limit](account_id)


def balance_summary(account_id: int) -> dict:
    balance, _ = CreditBalance.unscoped.get_or_create(account_id=account_id)
    plan = active_plan(account_id)
    month_start = timezone.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    used = -(
        CreditTransaction.unscoped.filter(
            account_id=account_id,
            transaction_type=CreditTransaction.Type.DEDUCTION,
            created_at__gte=month_start,
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    return {
        "credits": balance.total,
        "granted": balance.granted,
        "purchased": balance.purchased,
        "held": balance.held,
        "available": balance.available,
        "granted_expires_at": balance.granted_expires_at,
        "plan": plan.name if plan else None,
        "plan_credits_per_month": plan.monthly_credits if plan else 0,
        "credits_used_this_month": used,
        "credits_remaining": balance.available,
        "low_balance_threshold": balance.low_balance_threshold,
    }


def usage_summary_of(rows) -> dict:
    """Totals and per-operation credits of a (filtered, scoped) CreditUsage queryset."""
    totals = rows.aggregate(credits=Sum("credits_used"), cost=Sum("cost_usd"), count=Count("id"))
    by_operation = {
        row["operation_type"]: row["credits"]
        for row in rows.values("operation_type").annotate(credits=Sum("credits_used")).order_by()
    }
    return {
        "total_credits_used": totals["credits"] or 0,
        "total_cost_usd": float(totals["cost"] or 0),
        "operations": totals["count"],
        "by_operation": by_operation,
    }


def usage_limits(account_id: int) -> dict:
    """Every limit the plan sets, with the account's current usage of each: counts of
    what exists (sites, users, keywords, clusters, ideas) and, for `max_ai_requests`,
    the AI calls made in the current subscription period."""
    plan = active_plan(account_id)
    names = [
        "max_keywords",
        "max_clusters",
        "max_ideas",
        "max_ai_requests",
        "max_sites",
        "max_users",
    ]
    limits = {name: getattr(plan, name) for name in names} if plan else {}
    current = {
        name.removeprefix("max_"): count(account_id) for name, count in _LIMIT_COUNTERS.items()
    }
    subscription = (
        Subscription.unscoped.filter(account_id=account_id, status=Subscription.Status.ACTIVE)
        .only("current_period_start", "current_period_end")
        .first()
    )
    return {
        "plan": plan.name if plan else None,
        "plan_limits": limits,
        "current_usage": current,
        "period_start": subscription.current_period_start if subscription else None,
        "period_end": subscription.current_period_end if subscription else None,
        "rate_limits": plan_rate_limits(account_id),
    }


def plans_for_list():
    """The plans on offer (the same for every account, public)."""
    return Plan.objects.filter(is_active=True)


def credit_packages_for_list():
    """The credit packages for sale (the same for every account)."""
    return CreditPackage.objects.filter(is_active=True)
