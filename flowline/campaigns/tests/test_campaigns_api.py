"""Campaigns through the API: a window that moves the state along, attached posts and
articles, metrics added up from the posts' published targets, tenant isolation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from flowline.campaigns import tasks
from flowline.campaigns.models import Campaign
from flowline.campaigns.tests.factories import CampaignFactory
from flowline.core.roles import Role
from flowline.posts.models import PostTarget
from flowline.posts.tests.factories import PostFactory
from flowline.writer.tests.factories import ContentFactory

API = "/api/v1/campaigns"
pytestmark = pytest.mark.django_db


def _iso(delta: timedelta) -> str:
    return (timezone.now() + delta).isoformat()


def _publish(target: PostTarget, **metrics) -> None:
    PostTarget.unscoped.filter(pk=target.pk).update(
        status="published", metrics=metrics, published_at=timezone.now()
    )


def test_create_a_draft_then_schedule_a_window(owner):
    # when
    created = owner.client.post(f"{API}/", {"name": "Spring launch"}, format="json")
    campaign_id = created.json()["data"]["id"]
    scheduled = owner.client.post(
        f"{API}/{campaign_id}/schedule/",
        {"starts_at": _iso(timedelta(days=1)), "ends_at": _iso(timedelta(days=8))},
        format="json",
    )

    # then
    assert created.status_code == 201 and created.json()["data"]["status"] == "draft"
    assert scheduled.status_code == 200, scheduled.content
    assert scheduled.json()["data"]["status"] == "scheduled"


def test_window_that_has_begun_runs_at_once(owner):
    response = owner.client.post(
        f"{API}/",
        {"name": "Now", "starts_at": _iso(-timedelta(hours=1)), "ends_at": _iso(timedelta(days=1))},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["data"]["status"] == "running"
    assert response.json()["data"]["started_at"]


@pytest.mark.parametrize(
    ("starts", "ends", "field"),
    [
        (timedelta(days=2), timedelta(days=1), "ends_at"),
        (-timedelta(days=3), -timedelta(days=1), "ends_at"),
    ],
)
def test_bad_windows_are_400(owner, starts, ends, field):
    campaign = CampaignFactory(account=owner.account)

    response = owner.client.post(
        f"{API}/{campaign.id}/schedule/",
        {"starts_at": _iso(starts), "ends_at": _iso(ends)},
        format="json",
    )

    assert response.status_code == 400 and field in response.json()["errors"]


def test_beat_moves_campaigns_along_their_windows(owner):
    # given
    now = timezone.now()
    starting = CampaignFactory(
        account=owner.account,
        status="scheduled",
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=1),
    )
    ending = CampaignFactory(
        account=owner.account,
        status="running",
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(minutes=1),
        started_at=now - timedelta(days=2),
    )
    missed = CampaignFactory(
        account=owner.account,
        status="scheduled",
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=1),
    )
    later = CampaignFactory(
        account=owner.account,
        status="scheduled",
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=2),
    )
    draft = CampaignFactory(account=owner.account)

    # when
    first = tasks.advance()
    second = tasks.advance()

    # then
    assert first == {"started": 1, "completed": 2} and second == {"started": 0, "completed": 0}
    states = dict(Campaign.unscoped.values_list("id", "status"))
    assert states == {
        starting.id: "running",
        ending.id: "completed",
        missed.id: "completed",
        later.id: "scheduled",
        draft.id: "draft",
    }
    assert Campaign.unscoped.get(pk=missed.pk).started_at == missed.starts_at


def test_moves_are_announced_once_by_webhook(owner):
    # given
    from flowline.webhooks.models import WebhookDelivery
    from flowline.webhooks.tests.factories import WebhookEndpointFactory

    WebhookEndpointFactory(account=owner.account)
    now = timezone.now()
    campaign = CampaignFactory(
        account=owner.account,
        status="scheduled",
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=1),
    )

    # when
    tasks.advance()
    tasks.advance()
    owner.client.post(f"{API}/{campaign.id}/complete/")

    # then
    sent = list(WebhookDelivery.unscoped.order_by("id").values_list("event_type", "payload"))
    assert sent == [
        ("campaign.started", {"id": campaign.id}),
        ("campaign.completed", {"id": campaign.id}),
    ]


def test_running_campaign_can_move_its_end_but_not_its_start(owner):
    campaign = owner.client.post(
        f"{API}/",
        {"name": "Now", "starts_at": _iso(-timedelta(hours=1)), "ends_at": _iso(timedelta(days=1))},
        format="json",
    ).json()["data"]

    moved_start = owner.client.post(
        f"{API}/{campaign['id']}/schedule/",
        {"starts_at": _iso(timedelta(hours=1)), "ends_at": _iso(timedelta(days=2))},
        format="json",
    )
    extended = owner.client.post(
        f"{API}/{campaign['id']}/schedule/",
        {"starts_at": campaign["starts_at"], "ends_at": _iso(timedelta(days=3))},
        format="json",
    )

    assert moved_start.status_code == 400 and "starts_at" in moved_start.json()["errors"]
    assert extended.status_code == 200 and extended.json()["data"]["status"] == "running"


def test_complete_early_and_completed_is_final(owner):
    campaign = CampaignFactory(
        account=owner.account,
        status="running",
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1),
    )

    done = owner.client.post(f"{API}/{campaign.id}/complete/")
    again = owner.client.post(
        f"{API}/{campaign.id}/schedule/",
        {"starts_at": _iso(timedelta(days=1)), "ends_at": _iso(timedelta(days=2))},
        format="json",
    )

    assert done.status_code == 200 and done.json()["data"]["status"] == "completed"
    assert again.status_code == 409


def test_unschedule_returns_to_draft(owner):
    campaign = CampaignFactory(
        account=owner.account,
        status="scheduled",
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=2),
    )

    response = owner.client.post(f"{API}/{campaign.id}/unschedule/")

    assert response.status_code == 200 and response.json()["data"]["status"] == "draft"
    assert owner.client.post(f"{API}/{campaign.id}/unschedule/").status_code == 409


def test_status_cannot_be_written_by_a_client(owner):
    campaign = CampaignFactory(account=owner.account)

    response = owner.client.patch(f"{API}/{campaign.id}/", {"status": "running"}, format="json")

    assert response.status_code == 400 and "status" in response.json()["errors"]
    assert Campaign.unscoped.get(pk=campaign.pk).status == "draft"


def test_attach_posts_and_contents_and_read_metrics(owner):
    # given: two posts on two platforms, one article published, one not
    campaign = CampaignFactory(account=owner.account)
    first = PostFactory(account=owner.account, targets=["twitter", "facebook"])
    second = PostFactory(account=owner.account, targets=["linkedin"])
    PostFactory(account=owner.account)  # not in the campaign
    article = ContentFactory(account=owner.account, status="published")
    draft_article = ContentFactory(account=owner.account)
    x_target = PostTarget.unscoped.get(post=first, platform="twitter")
    fb_target = PostTarget.unscoped.get(post=first, platform="facebook")
    _publish(x_target, reach=900, engagement=12)
    _publish(fb_target, reach=100, engagement=8)

    # when
    attached = owner.client.post(
        f"{API}/{campaign.id}/attach/",
        {"posts": [first.id, second.id], "contents": [article.id, draft_article.id]},
        format="json",
    )
    metrics = owner.client.get(f"{API}/{campaign.id}/metrics/")

    # then
    assert attached.status_code == 200, attached.content
    assert sorted(attached.json()["data"]["posts"]) == sorted([first.id, second.id])
    body = metrics.json()["data"]
    assert body["posts"] == 2 and body["targets_published"] == 2
    assert body["reach"] == 1000 and body["engagement"] == 20
    assert body["engagement_rate"] == 0.02
    assert body["by_platform"]["twitter"] == {"published": 1, "reach": 900, "engagement": 12}
    assert body["contents"] == 2 and body["contents_published"] == 1


def test_detach(owner):
    campaign = CampaignFactory(account=owner.account)
    post = PostFactory(account=owner.account)
    campaign.posts.add(post)

    response = owner.client.post(
        f"{API}/{campaign.id}/detach/", {"posts": [post.id]}, format="json"
    )

    assert response.status_code == 200 and response.json()["data"]["posts"] == []


def test_attaching_another_accounts_post_or_article_is_400(owner, other_owner):
    campaign = CampaignFactory(account=owner.account)
    theirs = PostFactory(account=other_owner.account)
    their_article = ContentFactory(account=other_owner.account)

    posts = owner.client.post(f"{API}/{campaign.id}/attach/", {"posts": [theirs.id]}, format="json")
    contents = owner.client.post(
        f"{API}/{campaign.id}/attach/", {"contents": [their_article.id]}, format="json"
    )
    created = owner.client.post(f"{API}/", {"name": "x", "posts": [theirs.id]}, format="json")

    assert posts.status_code == 400 and "posts" in posts.json()["errors"]
    assert contents.status_code == 400 and "contents" in contents.json()["errors"]
    assert created.status_code == 400
    assert not Campaign.posts.through.objects.filter(campaign=campaign).exists()


def test_other_accounts_campaign_is_404(owner, other_owner):
    theirs = CampaignFactory(account=other_owner.account)

    for response in (
        owner.client.get(f"{API}/{theirs.id}/"),
        owner.client.get(f"{API}/{theirs.id}/metrics/"),
        owner.client.post(f"{API}/{theirs.id}/complete/"),
        owner.client.patch(f"{API}/{theirs.id}/", {"name": "x"}, format="json"),
        owner.client.delete(f"{API}/{theirs.id}/"),
    ):
        assert response.status_code == 404
    assert owner.client.get(f"{API}/").json()["count"] == 0


def test_viewer_reads_but_cannot_create(owner, member_factory):
    viewer = member_factory(owner, Role.VIEWER)
    CampaignFactory(account=owner.account)

    assert viewer.client.get(f"{API}/").json()["count"] == 1
    assert viewer.client.post(f"{API}/", {"name": "x"}, format="json").status_code == 403


def test_list_filters_and_query_count(owner, django_assert_num_queries):
    # given
    for n in range(3):
        campaign = CampaignFactory(account=owner.account, status="draft" if n else "running")
        campaign.posts.add(PostFactory(account=owner.account))
        campaign.contents.add(ContentFactory(account=owner.account))

    # when
    running = owner.client.get(f"{API}/", {"status": "running"}).json()
    with django_assert_num_queries(5):
        listed = owner.client.get(f"{API}/")

    # then
    assert running["count"] == 1
    rows = listed.json()["results"]
    assert len(rows) == 3 and all(r["posts_count"] == 1 and r["contents_count"] == 1 for r in rows)


def test_bulk_delete(owner):
    ids = [CampaignFactory(account=owner.account).id for _ in range(2)]

    response = owner.client.post(f"{API}/bulk_delete/", {"ids": ids}, format="json")

    assert response.status_code == 200
    assert not Campaign.unscoped.exists()


def test_member_restricted_to_a_site_sees_that_sites_campaigns(owner, member_factory):
    # given
    from flowline.sites.models import SiteUserAccess
    from flowline.sites.tests.factories import SiteFactory

    mine, other = SiteFactory(account=owner.account), SiteFactory(account=owner.account)
    editor = member_factory(owner, Role.EDITOR, all_sites=False)
    SiteUserAccess.unscoped.create(account=owner.account, user=editor.user, site=mine)
    visible = CampaignFactory(account=owner.account, site=mine)
    hidden = CampaignFactory(account=owner.account, site=other)

    # when
    listed = editor.client.get(f"{API}/").json()["results"]

    # then
    assert [row["id"] for row in listed] == [visible.id]
    assert editor.client.get(f"{API}/{hidden.id}/").status_code == 404
