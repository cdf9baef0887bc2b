import factory
from django.utils import timezone

from flowline.core.testing.factories import TenantFactory
from flowline.integration.models import PublishQueueItem, PublishRecord, SiteIntegration
from flowline.integration.services.integrations import new_webhook_secret
from flowline.sites.tests.factories import SiteFactory
from flowline.writer.tests.factories import ContentFactory


class SiteIntegrationFactory(TenantFactory):
    class Meta:
        model = SiteIntegration

    site = factory.SubFactory(SiteFactory, account=factory.SelfAttribute("..account"))
    base_url = factory.Sequence(lambda n: f"https://blog{n}.example.com")
    username = "flowline-editor"
    app_password = "abcd EFGH 1234 ijkl MNOP 5678"
    webhook_secret = factory.LazyFunction(new_webhook_secret)


class PublishRecordFactory(TenantFactory):
    class Meta:
        model = PublishRecord

    integration = factory.SubFactory(
        SiteIntegrationFactory, account=factory.SelfAttribute("..account")
    )
    site = factory.SelfAttribute("integration.site")
    content = factory.SubFactory(
        ContentFactory,
        account=factory.SelfAttribute("..account"),
        site=factory.SelfAttribute("..site"),
        sector__site=factory.SelfAttribute("..site"),
    )
    status = PublishRecord.Status.PUBLISHED
    external_id = factory.Sequence(lambda n: str(500 + n))


class PublishQueueItemFactory(TenantFactory):
    class Meta:
        model = PublishQueueItem

    integration = factory.SubFactory(
        SiteIntegrationFactory, account=factory.SelfAttribute("..account")
    )
    site = factory.SelfAttribute("integration.site")
    content = factory.SubFactory(
        ContentFactory,
        account=factory.SelfAttribute("..account"),
        site=factory.SelfAttribute("..site"),
        sector__site=factory.SelfAttribute("..site"),
    )
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=1))
    next_attempt_at = factory.SelfAttribute("scheduled_at")
