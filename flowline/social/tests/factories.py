import factory

from flowline.core.testing.factories import TenantFactory
from flowline.social.models import SocialAccount


class SocialAccountFactory(TenantFactory):
    class Meta:
        model = SocialAccount

    platform = "twitter"
    external_id = factory.Sequence(lambda n: f"15000000{n}")
    name = factory.Sequence(lambda n: f"Account {n}")
    access_token = factory.Sequence(lambda n: f"x-access-{n}")
    refresh_token = factory.Sequence(lambda n: f"x-refresh-{n}")
