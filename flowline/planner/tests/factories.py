import factory

from flowline.core.testing.factories import TenantFactory
from flowline.planner.models import Cluster, ContentIdea, Keyword
from flowline.sites.tests.factories import SectorFactory


class _InSector(TenantFactory):
    class Meta:
        abstract = True

    sector = factory.SubFactory(SectorFactory, account=factory.SelfAttribute("..account"))
    site = factory.SelfAttribute("sector.site")


class ClusterFactory(_InSector):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Cluster {n}")


class KeywordFactory(_InSector):
    class Meta:
        model = Keyword

    keyword = factory.Sequence(lambda n: f"keyword {n}")
    volume = 100
    difficulty = 30


class ContentIdeaFactory(_InSector):
    class Meta:
        model = ContentIdea

    idea_title = factory.Sequence(lambda n: f"Idea {n}")
