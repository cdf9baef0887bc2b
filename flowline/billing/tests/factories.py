from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from flowline.billing.models import (
    CreditBalance,
    CreditTransaction,
    CreditUsage,
    Invoice,
    Payment,
    PaymentMethod,
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


class PaymentFactory(TenantFactory):
    class Meta:
        model = Payment

    amount = Decimal("10.00")
    method = Payment.Method.MANUAL
    status = Payment.Status.AWAITING_APPROVAL
    credits = 500
    description = "500 credits"
    transfer_reference = factory.Sequence(lambda n: f"TRANSFER-{n}")


class InvoiceFactory(TenantFactory):
    class Meta:
        model = Invoice

    number = factory.Sequence(lambda n: f"INV-2000-{n:06d}")
    subtotal = Decimal("10.00")
    total = Decimal("10.00")
    lines = factory.LazyFunction(lambda: [{"description": "500 credits", "amount": "10.00"}])
    issued_at = factory.LazyFunction(timezone.now)


class PaymentMethodFactory(TenantFactory):
    class Meta:
        model = PaymentMethod

    kind = PaymentMethod.Kind.CARD
    brand = "visa"
    last4 = "4242"
    exp_month = 12
    exp_year = 2030
    provider_id = factory.Sequence(lambda n: f"pm_factory{n}")
