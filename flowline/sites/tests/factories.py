import factory

from flowline.core.testing.factories import TenantFactory
from flowline.identity.tests.factories import UserFactory
from flowline.sites.models import Sector, Site, SiteUserAccess


class SiteFactory(TenantFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"Site {n}")
    slug = factory.Sequence(lambda n: f"site-{n}")
    url = factory.Sequence(lambda n: f"https://site{n}.example.com")


class SectorFactory(TenantFactory):
    class Meta:
        model = Sector

    site = factory.SubFactory(SiteFactory, account=factory.SelfAttribute("..account"))
    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class SiteUserAccessFactory(TenantFactory):
    class Meta:
        model = SiteUserAccess

    site = factory.SubFactory(SiteFactory, account=factory.SelfAttribute("..account"))
    user = factory.SubFactory(UserFactory)
