"""Campaigns' facade as a page of posts or the writer calls it: the campaigns holding a
post, one campaign's summary and metrics, nothing of another account."""

import pytest

from flowline.campaigns import public
from flowline.campaigns.tests.factories import CampaignFactory
from flowline.core.tenancy import tenant_scope
from flowline.posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_the_campaigns_holding_a_post_are_listed_by_name(owner):
    # given: a post in two campaigns, and a third campaign without it
    post = PostFactory(account=owner.account)
    spring = CampaignFactory(account=owner.account, name="Spring")
    autumn = CampaignFactory(account=owner.account, name="Autumn")
    CampaignFactory(account=owner.account, name="Other")
    spring.posts.add(post)
    autumn.posts.add(post)

    # when
    with tenant_scope(owner.account_id):
        holding = public.campaigns_containing(post_id=post.id)
        summary = public.campaign_summary(campaign_id=spring.id)
        metrics = public.campaign_metrics(campaign_id=spring.id)

    # then
    assert [c.name for c in holding] == ["Autumn", "Spring"]
    assert summary is not None and (summary.name, summary.status) == ("Spring", spring.status)
    assert metrics is not None and metrics["posts"] == 1


def test_another_accounts_campaign_is_not_found(owner, other_owner):
    # given
    theirs = CampaignFactory(account=other_owner.account)

    # when: asked inside the owner's scope
    with tenant_scope(owner.account_id):
        summary = public.campaign_summary(campaign_id=theirs.id)
        metrics = public.campaign_metrics(campaign_id=theirs.id)

    # then
    assert summary is None and metrics is None
