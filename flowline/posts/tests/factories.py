import datetime as dt
import itertools

import factory
from django.utils import timezone

from flowline.core.testing.factories import TenantFactory, for_endpoint
from flowline.posts.models import Post, PostingSlot, PostTarget
from flowline.social.models import SocialAccount

_seq = itertools.count(1)


def social_account(account, platform: str = "twitter", **fields) -> SocialAccount:
    """A connected social account (a plain helper, not a TenantFactory: the social app's
    own factory serves its endpoints)."""
    n = next(_seq)
    values = {
        "account": account,
        "platform": platform,
        "external_id": f"{platform}-{n}",
        "name": f"{platform} account {n}",
        "access_token": f"token-{n}",
        **fields,
    }
    return SocialAccount.unscoped.create(**values)


class PostFactory(TenantFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Post {n}")
    text = "Spring collection is here"

    @factory.post_generation
    def targets(post, create, platforms, **kwargs):
        for platform in platforms or ["twitter"]:
            sa = social_account(post.account, platform)
            PostTarget.unscoped.create(
                account=post.account, post=post, social_account=sa, platform=platform
            )


@for_endpoint("schedule")
class ScheduledPostFactory(PostFactory):
    """A post on the schedule (what `social/schedules/` lists)."""

    scheduled_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    status = Post.Status.SCHEDULED


class PostingSlotFactory(TenantFactory):
    class Meta:
        model = PostingSlot

    social_account = factory.LazyAttribute(lambda o: social_account(o.account, "linkedin"))
    weekday = 0
    time = dt.time(9, 30)
