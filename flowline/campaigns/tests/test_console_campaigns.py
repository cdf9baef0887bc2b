"""Campaigns in the console: create one with a window, attach a post, read the combined
metrics, complete it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from flowline.campaigns.models import Campaign
from flowline.core.testing.pages import CSRF, page_client
from flowline.posts.tests.factories import PostFactory


@pytest.mark.django_db
def test_campaign_is_created_gets_a_post_and_is_completed(owner):
    post = PostFactory(account=owner.account, title="Launch", targets=["twitter"])
    client = page_client(owner)
    window = {
        "starts_at": timezone.now().strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (timezone.now() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
    }

    # when
    created = client.post(
        "/campaigns/new/", {"csrf_token": CSRF, "name": "Spring launch", **window}
    )
    url = created["Location"]
    client.post(url, {"csrf_token": CSRF, "action": "attach", "posts": [post.id]})
    page = client.get(url).content.decode()
    client.post(url, {"csrf_token": CSRF, "action": "complete"})

    # then
    assert f'href="/social/posts/{post.id}/"' in page and "Posts published" in page
    assert Campaign.unscoped.get().status == "completed"
    assert "Completed" in client.get(url).content.decode()
