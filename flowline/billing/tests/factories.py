from datetime import timedelta

import factory
from django.utils import timezone

from flowline.billing.models import (
    CreditBalance,
    CreditTransaction,
    CreditUsage,
    Plan,
    Subscription,
)
from flowline.core.testing.factories import TenantFactory


class SubscriptionFactory(TenantFactory):
    class Meta:
        model = Subscription

    plan = factory.LazyFunction(lambda: Plan.objects.get(slug="starter"))
    current_period_start = factory.LazyFunction(timezone.now)
    current_period_end = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class CreditBalanceFactory(TenantFactory):
    class Meta:
        model = CreditBalance
        django_get_or_create = ("account",)


class CreditTransactionFactory(TenantFactory):
    class Meta:
        model = CreditTransaction

    transaction_type = CreditTransaction.Type.ADJUSTMENT
    amount = 5
    purchased_change = 5
    balance_after = 5


class CreditUsageFactory(TenantFactory):
    class Meta:
        model = CreditUsage

    operation_type = "content"
    credits_used = 10
