"""What other apps may ask of billing: plans for new accounts, limits, paid jobs."""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from flowline.billing.models import CreditHold, Plan, Subscription
from flowline.billing.services import credits
from flowline.billing.services.credits import (  # noqa: F401  (re-exported)
    available_credits,
    credits_adjust,
    credits_charge,
    credits_grant,
    estimate,
    register_low_balance_listener,
)
from flowline.core.errors import PaymentRequiredError

PERIOD = timedelta(days=30)


def subscription_start_default(*, account_id: int) -> int | None:
    """Subscribe a new account to the default plan and grant its monthly credits."""
    plan = Plan.objects.filter(is_default=True, is_active=True).first()
    if plan is None:
        return None
    return subscription_start(account_id=account_id, plan=plan).id


@transaction.atomic
def subscription_start(*, account_id: int, plan: Plan, external_id: str = "") -> Subscription:
    """Start (or switch to) `plan` now: one active subscription, this period's credits."""
    now = timezone.now()
    Subscription.unscoped.filter(account_id=account_id, status=Subscription.Status.ACTIVE).update(
        status=Subscription.Status.CANCELED
    )
    subscription = Subscription.unscoped.create(
        account_id=account_id,
        plan=plan,
        status=Subscription.Status.ACTIVE,
        current_period_start=now,
        current_period_end=now + PERIOD,
        external_id=external_id,
    )
    if plan.monthly_credits:
        credits.credits_grant(
            account_id=account_id,
            amount=plan.monthly_credits,
            transaction_type=credits.Type.SUBSCRIPTION,
            description=f"{plan.name} plan credits",
            reference=f"sub:{subscription.id}:0",
            expires_at=subscription.current_period_end,
        )
    return subscription


def active_plan(account_id: int) -> Plan | None:
    subscription = (
        Subscription.unscoped.filter(account_id=account_id, status=Subscription.Status.ACTIVE)
        .select_related("plan")
        .first()
    )
    return subscription.plan if subscription else None


_RATE = re.compile(r"[1-9][0-9]{0,8}/(s|sec|second|m|min|minute|h|hour|d|day)")
_RATE_SCOPES = ("user", "ai")


def plan_rates(plan: Plan | None) -> dict[str, str]:
    """The throttle rates `plan` sets (`Plan.rate_limits`), by scope; only well-formed
    rates of known scopes count."""
    given = plan.rate_limits if plan is not None and isinstance(plan.rate_limits, dict) else {}
    return {
        scope: rate
        for scope, rate in given.items()
        if scope in _RATE_SCOPES and isinstance(rate, str) and _RATE.fullmatch(rate)
    }


def plan_rate_limits(account_id: int) -> dict[str, str]:
    """The throttle rates the account's active plan sets, by scope."""
    return plan_rates(active_plan(account_id))


def account_rates_sync(account_id: int) -> None:
    """Keep the account's copy of its plan's rates (which throttles read with the
    request's membership) equal to its active plan's: after any subscription change."""
    from flowline.identity.public import account_rate_limits_set

    account_rate_limits_set(account_id, plan_rate_limits(account_id))


def plan_subscribers_rates_sync(plan: Plan) -> None:
    """After a plan changed: its accounts' copies of its rates follow."""
    active = Subscription.unscoped.filter(plan=plan, status=Subscription.Status.ACTIVE)
    for account_id in active.values_list("account_id", flat=True):
        account_rates_sync(account_id)


def register_limit_counter(limit: str, count) -> None:
    """Let an app report current usage for a plan limit (`max_keywords`, ...):
    `count(account_id) -> int`, shown by `billing/credits/usage/limits/`."""
    from flowline.billing import selectors

    selectors.register_limit_counter(limit, count)


def current_period_start(account_id: int):
    """When the account's current subscription period began (None without one): the
    window that per-period limits such as `max_ai_requests` count in."""
    subscription = (
        Subscription.unscoped.filter(account_id=account_id, status=Subscription.Status.ACTIVE)
        .only("current_period_start")
        .first()
    )
    return subscription.current_period_start if subscription else None


def check_limit(*, account_id: int, limit: str, current: int, adding: int = 1) -> None:
    """402 `plan_limit_exceeded` when `current + adding` goes past the plan's `limit`
    (e.g. "max_sites"); the error says which limit and its value."""
    plan = active_plan(account_id)
    if plan is None:
        return
    allowed = getattr(plan, limit)
    if current + adding > allowed:
        raise PaymentRequiredError(
            f"Your {plan.name} plan allows {allowed} ({limit}). Upgrade to add more.",
            code="plan_limit_exceeded",
            extra={"limit": limit, "allowed": allowed, "current": current},
        )


def check_counted_limit(*, account_id: int, limit: str, adding: int = 1) -> None:
    """`check_limit` with the usage that `billing/credits/usage/limits/` reports: the
    counter the owning app registered for `limit` (`max_ai_requests`, ...)."""
    from flowline.billing import selectors

    if active_plan(account_id) is None:
        return
    check_limit(
        account_id=account_id,
        limit=limit,
        current=selectors.limit_usage(account_id, limit),
        adding=adding,
    )


@transaction.atomic
def start_paid_job(
    *,
    kind: str,
    account_id: int,
    operation_type: str,
    quantity: int = 1,
    user_id: int | None = None,
    payload: dict | None = None,
    target=None,
    idempotency_key: str | None = None,
):
    """Queue a job after holding what it costs (402 if the credits are not there). The
    hold is captured when the job completes and released when it fails or is cancelled.

    The job and its hold commit together, and the job goes to the workers only then: a
    worker cannot settle a job before its hold exists (it would find nothing to charge),
    and a 402 leaves no job behind."""
    from flowline.jobs.public import job_phase, job_start

    cost = credits.estimate(operation_type=operation_type, quantity=quantity)
    with transaction.atomic():
        job = job_start(
            kind=kind,
            account_id=account_id,
            user_id=user_id,
            payload=payload,
            target=target,
            idempotency_key=idempotency_key,
        )
        with job_phase("hold"):
            if not CreditHold.unscoped.filter(job_id=job.id).exists():
                credits.credits_hold(
                    account_id=account_id,
                    operation_type=operation_type,
                    amount=cost.credits,
                    job_id=job.id,
                )
    return job


@dataclass
class PaidStep:
    """What `paid_step` yields: the cost, and a place to record the AI calls the work
    made so that the charge carries their provider cost and tokens."""

    estimate: credits.Estimate
    results: list = field(default_factory=list)

    @property
    def credits(self) -> int:
        return self.estimate.credits

    def record(self, result):
        """Note an AI call's result (a ChatResult or ImageResult); returns it."""
        self.results.append(result)
        return result

    def usage(self) -> dict:
        if not self.results:
            return {}
        return {
            "cost_usd": sum((getattr(r, "cost_usd", 0) or 0 for r in self.results), Decimal(0)),
            "tokens_in": sum(getattr(r, "tokens_in", 0) or 0 for r in self.results),
            "tokens_out": sum(getattr(r, "tokens_out", 0) or 0 for r in self.results),
            "model": getattr(self.results[-1], "model", "") or "",
        }


@contextmanager
def paid_step(
    *,
    account_id: int,
    operation_type: str,
    quantity: float = 1,
    job_id=None,
    user_id: int | None = None,
):
    """Pay for work done inline (a request's AI call, one of automation's stages): its
    cost is held before the block runs (402 `insufficient_credits` before any work is
    done), charged when the block ends normally -- with the usage of the AI results it
    recorded -- and given back when it raises, so a failure costs nothing. Yields a
    `PaidStep`. A hold left by a killed worker is settled with its job (`settle_job`)."""
    step = PaidStep(credits.estimate(operation_type=operation_type, quantity=quantity))
    if step.credits <= 0:
        yield step
        return
    hold = credits.credits_hold(
        account_id=account_id, operation_type=operation_type, amount=step.credits, job_id=job_id
    )
    try:
        yield step
    except BaseException:
        credits.hold_release(hold_id=hold.id)
        raise
    credits.hold_capture(hold_id=hold.id, usage=step.usage(), user_id=user_id)


def settle_job(job) -> None:
    """Job finish listener: charge its hold when it completed, release it otherwise."""
    for hold in CreditHold.unscoped.filter(job_id=job.id, status=CreditHold.Status.HELD):
        if job.status == job.Status.COMPLETED:
            credits.hold_capture(hold_id=hold.id, usage=_job_usage(job), user_id=job.user_id)
        else:
            credits.hold_release(hold_id=hold.id)


_usage_sources: list = []


def register_usage_source(usage_for_job) -> None:
    """Let an app report what a job consumed, charged with its hold:
    `usage_for_job(job_id) -> dict` (ai: provider cost and tokens of its calls)."""
    _usage_sources.append(usage_for_job)


def _job_usage(job) -> dict:
    """What the job consumed, as the registered usage sources report it."""
    usage: dict = {}
    for usage_for_job in _usage_sources:
        usage.update(usage_for_job(job.id))
    return usage


def credits_held(job_id) -> int:
    """The credits held for a job (0 when it holds none)."""
    held = CreditHold.unscoped.filter(job_id=job_id).values_list("amount", flat=True).first()
    return held or 0
