"""Subscriptions renew monthly and grant the plan's credits, once per period."""

import pytest
from django.db.models import Sum

from flowline.billing.models import CreditBalance, CreditTransaction, Subscription
from flowline.billing.services.subscriptions import subscriptions_renew_due

pytestmark = pytest.mark.django_db


def test_a_due_subscription_renews_and_grants_a_fresh_months_credits(owner):
    # given: a free-plan account that spent 30 of its 100 credits this period
    from flowline.billing.services import credits

    credits.credits_charge(account_id=owner.account_id, operation_type="content", amount=30)
    subscription = Subscription.unscoped.get(account_id=owner.account_id)
    period_end = subscription.current_period_end
    # when: the scheduler runs after the period ended (twice, as schedulers may)
    renewed = subscriptions_renew_due(now=period_end)
    again = subscriptions_renew_due(now=period_end)
    # then: the unspent 70 expired, 100 new credits are granted once, the period moved on
    subscription.refresh_from_db()
    assert (renewed, again) == (1, 0)
    assert subscription.current_period_start == period_end
    balance = CreditBalance.unscoped.get(account_id=owner.account_id)
    assert balance.granted == 100 and balance.granted_expires_at == subscription.current_period_end
    types = list(
        CreditTransaction.unscoped.filter(account_id=owner.account_id)
        .order_by("id")
        .values_list("transaction_type", "amount")
    )
    assert types == [
        ("subscription", 100),
        ("deduction", -30),
        ("expiry", -70),
        ("subscription", 100),
    ]
    total = CreditTransaction.unscoped.filter(account_id=owner.account_id).aggregate(
        s=Sum("amount")
    )
    assert total["s"] == balance.total


def test_a_subscription_set_to_cancel_ends_instead_of_renewing(owner):
    subscription = Subscription.unscoped.get(account_id=owner.account_id)
    Subscription.unscoped.filter(id=subscription.id).update(cancel_at_period_end=True)
    subscriptions_renew_due(now=subscription.current_period_end)
    subscription.refresh_from_db()
    assert subscription.status == "canceled"
    assert CreditBalance.unscoped.get(account_id=owner.account_id).total == 0
