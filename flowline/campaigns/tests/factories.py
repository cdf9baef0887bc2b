import factory

from flowline.campaigns.models import Campaign
from flowline.core.testing.factories import TenantFactory


class CampaignFactory(TenantFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Spring launch {n}")
