"""Support staff in the Django admin: a post's targets with their errors, and a retry of
the failed ones."""

import pytest

from flowline.posts.models import PostTarget
from flowline.posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def _failed_post(owner):
    post = PostFactory(account=owner.account, targets=["twitter", "linkedin"])
    PostTarget.unscoped.filter(post=post, platform="twitter").update(
        status="failed", error="twitter answered 400: duplicate", error_code="rejected"
    )
    PostTarget.unscoped.filter(post=post, platform="linkedin").update(status="published")
    return post


def test_staff_see_a_posts_targets_and_their_errors(admin_client, owner):
    post = _failed_post(owner)
    page = admin_client.get(f"/admin/posts/post/{post.id}/change/")
    assert page.status_code == 200
    assert b"twitter answered 400: duplicate" in page.content


def test_staff_retry_the_failed_targets_of_a_post(admin_client, owner):
    post = _failed_post(owner)
    response = admin_client.post(
        "/admin/posts/post/",
        {"action": "retry_failed_targets", "_selected_action": [post.id]},
        follow=True,
    )
    assert response.status_code == 200
    states = dict(PostTarget.unscoped.filter(post=post).values_list("platform", "status"))
    assert states == {"twitter": "scheduled", "linkedin": "published"}


def test_staff_retry_selected_targets(admin_client, owner):
    post = _failed_post(owner)
    ids = list(PostTarget.unscoped.filter(post=post).values_list("id", flat=True))
    admin_client.post(
        "/admin/posts/posttarget/", {"action": "retry", "_selected_action": ids}, follow=True
    )
    states = dict(PostTarget.unscoped.filter(post=post).values_list("platform", "status"))
    assert states == {"twitter": "scheduled", "linkedin": "published"}
