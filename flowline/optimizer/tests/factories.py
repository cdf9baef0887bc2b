import factory

from flowline.core.testing.factories import TenantFactory
from flowline.optimizer.models import ContentScore, LinkSuggestion
from flowline.writer.tests.factories import ContentFactory


class ContentScoreFactory(TenantFactory):
    class Meta:
        model = ContentScore

    content = factory.SubFactory(ContentFactory, account=factory.SelfAttribute("..account"))
    site = factory.SelfAttribute("content.site")
    score = 64
    word_count = 3
    checks = factory.LazyFunction(list)


class LinkSuggestionFactory(TenantFactory):
    class Meta:
        model = LinkSuggestion

    source = factory.SubFactory(ContentFactory, account=factory.SelfAttribute("..account"))
    site = factory.SelfAttribute("source.site")
    target = factory.SubFactory(
        ContentFactory,
        account=factory.SelfAttribute("..account"),
        sector=factory.SelfAttribute("..source.sector"),
        site=factory.SelfAttribute("..source.site"),
    )
    anchor_text = "pour over"
    matched = "primary_keyword"
    similarity = 0.3
    score = 0.6
