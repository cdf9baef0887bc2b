import factory

from flowline.core.testing.factories import TenantFactory
from flowline.planner.models import Cluster, ContentIdea
from flowline.sites.tests.factories import SectorFactory
from flowline.writer.models import Content, Image, Task, Taxonomy


class TaskFactory(TenantFactory):
    class Meta:
        model = Task

    sector = factory.SubFactory(SectorFactory, account=factory.SelfAttribute("..account"))
    site = factory.SelfAttribute("sector.site")
    title = factory.Sequence(lambda n: f"How to brew coffee {n}")
    keywords = "coffee, brewing"


class ContentFactory(TenantFactory):
    class Meta:
        model = Content

    sector = factory.SubFactory(SectorFactory, account=factory.SelfAttribute("..account"))
    site = factory.SelfAttribute("sector.site")
    title = factory.Sequence(lambda n: f"Brewing guide {n}")
    html_content = "<h2>Beans</h2><p>Pick fresh beans.</p>"
    word_count = 3


class ImageFactory(TenantFactory):
    class Meta:
        model = Image

    content = factory.SubFactory(ContentFactory, account=factory.SelfAttribute("..account"))
    site = factory.SelfAttribute("content.site")
    sector = factory.SelfAttribute("content.sector")
    prompt = "A cup of coffee on a wooden table"
    alt_text = "A cup of coffee"


class TaxonomyFactory(TenantFactory):
    class Meta:
        model = Taxonomy

    site = factory.SubFactory(
        "flowline.sites.tests.factories.SiteFactory", account=factory.SelfAttribute("..account")
    )
    taxonomy_type = Taxonomy.Type.CATEGORY
    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


def cluster_for(sector, **fields) -> Cluster:
    """A planner cluster (the planner's own factories are theirs to define)."""
    return Cluster.unscoped.create(
        account_id=sector.account_id,
        site_id=sector.site_id,
        sector=sector,
        name=fields.pop("name", "Coffee brewing"),
        **fields,
    )


def idea_for(sector, **fields) -> ContentIdea:
    """A planner content idea."""
    return ContentIdea.unscoped.create(
        account_id=sector.account_id,
        site_id=sector.site_id,
        sector=sector,
        idea_title=fields.pop("idea_title", "The complete guide to pour-over coffee"),
        target_keywords=fields.pop("target_keywords", "pour over, coffee filter, grind size"),
        **fields,
    )
