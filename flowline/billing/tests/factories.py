from datetime import timedelta

import factory
from django.utils import timezone

from flowline.billing.models import Plan, Subscription
from flowline.core.testing.factories import TenantFactory


class SubscriptionFactory(TenantFactory):
    class Meta:
        model = Subscription

    plan = factory.LazyFunction(lambda: Plan.objects.get(slug="starter"))
    current_period_start = factory.LazyFunction(timezone.now)
    current_period_end = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
