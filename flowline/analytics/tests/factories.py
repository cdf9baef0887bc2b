import factory
from django.utils import timezone

from flowline.analytics.models import AnalyticsEvent, PlatformMetric
from flowline.core.testing.factories import TenantFactory


class AnalyticsEventFactory(TenantFactory):
    """An event written directly (tests of ingestion go through the API instead)."""

    class Meta:
        model = AnalyticsEvent

    event_type = "page_view"
    platform = "web"
    session_id = factory.Sequence(lambda n: f"session-{n}")
    occurred_at = factory.LazyFunction(timezone.now)
    received_at = factory.LazyFunction(timezone.now)


class PlatformMetricFactory(TenantFactory):
    class Meta:
        model = PlatformMetric

    date = factory.LazyFunction(lambda: timezone.now().date())
    platform = "instagram"
    followers = 100
