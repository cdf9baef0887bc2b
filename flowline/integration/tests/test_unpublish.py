"""Taking a post down from Flowline (`publisher/records/{id}/unpublish/`), and what
deleting content does to its post."""

from datetime import timedelta

import pytest
from django.utils import timezone

from flowline.core.roles import Role
from flowline.core.tenancy import tenant_scope
from flowline.integration.models import PublishQueueItem, PublishRecord
from flowline.integration.public import publish_content
from flowline.integration.services import queue
from flowline.integration.tests.conftest import connect_wordpress
from flowline.webhooks.models import WebhookDelivery
from flowline.webhooks.tests.factories import WebhookEndpointFactory
from flowline.writer.models import Content

pytestmark = pytest.mark.django_db

RECORDS = "/api/v1/publisher/records/"
CONTENT = "/api/v1/writer/content/"


def test_unpublishing_to_a_draft_takes_the_post_down_and_publishing_puts_it_back(
    owner, article, fake_wordpress, published
):
    # given
    WebhookEndpointFactory(account=owner.account, event_types=["content.unpublished"])
    post_id = int(published.external_id)

    # when
    response = owner.client.post(
        f"{RECORDS}{published.id}/unpublish/", {"to": "draft"}, format="json"
    )
    article.refresh_from_db()
    down_status = article.status
    with tenant_scope(owner.account_id):
        (again,) = publish_content(account_id=owner.account_id, content_ids=[article.id])

    # then
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["status"] == "unpublished" and data["post_status"] == "draft"
    assert down_status == Content.Status.DRAFT
    delivery = WebhookDelivery.unscoped.get(event_type="content.unpublished")
    assert delivery.payload["post_id"] == str(post_id) and delivery.payload["to"] == "draft"
    # publishing again makes the same post live, with its permalink
    assert again.external_id == str(post_id) and again.status == "published"
    assert fake_wordpress.posts[post_id]["status"] == "publish"
    assert again.url == published.url and len(fake_wordpress.posts) == 1
    article.refresh_from_db()
    assert article.status == Content.Status.PUBLISHED


def test_unpublishing_to_the_trash_sets_the_slug_aside_until_it_is_published_again(
    owner, article, fake_wordpress, published
):
    post_id = int(published.external_id)

    response = owner.client.post(
        f"{RECORDS}{published.id}/unpublish/", {"to": "trash"}, format="json"
    )
    trashed = dict(fake_wordpress.posts[post_id])
    article.refresh_from_db()
    with tenant_scope(owner.account_id):
        (again,) = publish_content(account_id=owner.account_id, content_ids=[article.id])

    assert response.status_code == 200 and response.json()["data"]["post_status"] == "trash"
    assert trashed["status"] == "trash" and trashed["slug"].endswith("__trashed")
    assert article.status == Content.Status.DRAFT and article.external_url == ""
    assert fake_wordpress.posts[post_id]["slug"] == "pour-over-coffee-at-home"
    assert again.url == published.url


def test_unpublishing_cancels_a_queued_publish_of_the_content(owner, article, published):
    later = timezone.now() + timedelta(hours=3)
    with tenant_scope(owner.account_id):
        item = queue.queue_add(
            account_id=owner.account_id, content_id=article.id, scheduled_at=later
        )

    owner.client.post(f"{RECORDS}{published.id}/unpublish/")

    item.refresh_from_db()
    assert item.status == PublishQueueItem.Status.CANCELLED
    assert queue.publish_due(now=later + timedelta(minutes=1)) == {}


def test_unpublish_refuses_content_without_a_post_viewers_and_bad_targets(
    owner, member_factory, article, fake_wordpress
):
    integration = connect_wordpress(article.site, fake_wordpress)
    record = PublishRecord.unscoped.create(
        account_id=owner.account_id,
        integration=integration,
        content=article,
        site=article.site,
        status="failed",
    )
    viewer = member_factory(owner, Role.VIEWER)

    nothing = owner.client.post(f"{RECORDS}{record.id}/unpublish/")
    by_viewer = viewer.client.post(f"{RECORDS}{record.id}/unpublish/")
    bad = owner.client.post(f"{RECORDS}{record.id}/unpublish/", {"to": "void"}, format="json")

    assert nothing.status_code == 409 and nothing.json()["code"] == "not_published"
    assert by_viewer.status_code == 403
    assert bad.status_code == 400 and "to" in bad.json()["errors"]
    assert fake_wordpress.requests == []


def test_a_post_deleted_on_the_site_is_recorded_as_deleted(owner, fake_wordpress, published):
    fake_wordpress.posts.clear()

    response = owner.client.post(f"{RECORDS}{published.id}/unpublish/")

    assert response.status_code == 200
    assert response.json()["data"]["post_status"] == "deleted"


def test_a_site_that_refuses_leaves_everything_as_it_was(owner, article, fake_wordpress, published):
    fake_wordpress.fail("POST", r"posts/\d+", status=403, code="rest_cannot_edit")

    response = owner.client.post(f"{RECORDS}{published.id}/unpublish/")

    assert response.status_code == 400 and response.json()["code"] == "wordpress_forbidden"
    published.refresh_from_db()
    article.refresh_from_db()
    assert published.status == "published" and published.lease_until is None
    assert article.status == Content.Status.PUBLISHED


# --- deleting content ---------------------------------------------------------------------
def test_deleting_published_content_is_refused_until_told_what_to_do_with_the_post(
    owner, article, fake_wordpress, published
):
    post_id = int(published.external_id)

    refused = owner.client.delete(f"{CONTENT}{article.id}/")
    unknown = owner.client.delete(f"{CONTENT}{article.id}/?unpublish=hide")
    trashed = owner.client.delete(f"{CONTENT}{article.id}/?unpublish=trash")

    assert refused.status_code == 409 and refused.json()["code"] == "content_published"
    (post,) = refused.json()["posts"]
    assert post["post_id"] == str(post_id) and post["url"] == published.url
    assert unknown.status_code == 400 and "unpublish" in unknown.json()["errors"]
    assert trashed.status_code == 200, trashed.content
    assert not Content.unscoped.filter(id=article.id).exists()
    assert fake_wordpress.posts[post_id]["status"] == "trash"


def test_deleting_content_with_keep_leaves_the_post_live(owner, article, fake_wordpress, published):
    response = owner.client.delete(f"{CONTENT}{article.id}/?unpublish=keep")

    assert response.status_code == 200
    assert fake_wordpress.posts[int(published.external_id)]["status"] == "publish"
    assert not PublishRecord.unscoped.filter(id=published.id).exists()


def test_bulk_delete_takes_every_post_down_to_a_draft_first(
    owner, article, fake_wordpress, published
):
    from flowline.writer.tests.factories import ContentFactory

    typed = ContentFactory(account=owner.account, site=article.site, sector=article.sector)
    url = f"{CONTENT}bulk_delete/"

    refused = owner.client.post(url, {"ids": [article.id, typed.id]}, format="json")
    kept = Content.unscoped.filter(id__in=[article.id, typed.id]).count()
    drafted = owner.client.post(
        f"{url}?unpublish=draft", {"ids": [article.id, typed.id]}, format="json"
    )

    assert refused.status_code == 409 and kept == 2  # all or nothing
    assert drafted.status_code == 200 and drafted.json()["data"]["deleted_count"] == 2
    assert fake_wordpress.posts[int(published.external_id)]["status"] == "draft"


def test_content_without_a_post_is_deleted_as_before(owner, article):
    response = owner.client.delete(f"{CONTENT}{article.id}/")

    assert response.status_code == 200
    assert not Content.unscoped.filter(id=article.id).exists()
