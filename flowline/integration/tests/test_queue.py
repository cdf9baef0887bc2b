"""`publisher/queue/`: content queued now or for later, published by the sweep once,
retried with backoff on passing errors up to a bound, cancellable while waiting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from flowline.core.roles import Role
from flowline.core.tenancy import tenant_scope
from flowline.integration.models import PublishQueueItem, PublishRecord
from flowline.integration.services import queue
from flowline.integration.tests.conftest import connect_wordpress
from flowline.webhooks.models import WebhookDelivery
from flowline.webhooks.tests.factories import WebhookEndpointFactory
from flowline.writer.tests.factories import ContentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/publisher/queue/"


def test_content_queued_for_now_is_published_by_the_next_sweep(owner, article, fake_wordpress):
    # given
    integration = connect_wordpress(article.site, fake_wordpress)
    response = owner.client.post(URL, {"content": article.id}, format="json")
    assert response.status_code == 201, response.content
    item_id = response.json()["data"]["id"]

    # when
    outcomes = queue.publish_due()

    # then
    assert outcomes == {"published": 1}
    item = owner.client.get(f"{URL}{item_id}/").json()["data"]
    assert item["status"] == "published" and item["integration"] == integration.id
    assert item["record"] and item["attempts"] == 1 and item["published_at"]
    assert len(fake_wordpress.posts) == 1
    assert queue.publish_due() == {}  # nothing is published twice


def test_scheduled_content_waits_for_its_time(owner, article, fake_wordpress):
    # given
    connect_wordpress(article.site, fake_wordpress)
    at = timezone.now() + timedelta(hours=2)
    owner.client.post(URL, {"content": article.id, "scheduled_at": at.isoformat()}, format="json")

    # when
    early = queue.publish_due()
    on_time = queue.publish_due(now=at + timedelta(seconds=1))

    # then
    assert early == {} and on_time == {"published": 1}
    assert len(fake_wordpress.posts) == 1


def test_a_passing_error_is_retried_with_backoff_until_it_publishes(owner, article, fake_wordpress):
    # given
    connect_wordpress(article.site, fake_wordpress)
    with tenant_scope(owner.account_id):
        item = queue.queue_add(account_id=owner.account_id, content_id=article.id)
    fake_wordpress.fail("POST", "posts", status=503, headers={"Retry-After": "120"})

    # when
    first = queue.publish_due()
    item.refresh_from_db()
    waiting_until = item.next_attempt_at
    too_soon = queue.publish_due()
    later = queue.publish_due(now=waiting_until + timedelta(seconds=1))

    # then
    assert first == {"retrying": 1} and too_soon == {} and later == {"published": 1}
    assert waiting_until >= timezone.now() + timedelta(seconds=100)  # the site's Retry-After
    item.refresh_from_db()
    assert item.status == "published" and item.attempts == 2
    assert len(fake_wordpress.posts) == 1


def test_retries_stop_at_the_bound_and_the_failure_is_announced(owner, article, fake_wordpress):
    # given
    connect_wordpress(article.site, fake_wordpress)
    WebhookEndpointFactory(account=owner.account, event_types=["content.publish_failed"])
    with tenant_scope(owner.account_id):
        item = queue.queue_add(account_id=owner.account_id, content_id=article.id)
    PublishQueueItem.unscoped.filter(id=item.id).update(max_attempts=2)
    fake_wordpress.fail("POST", "posts", status=500, times=5)
    far = timezone.now() + timedelta(days=1)

    # when
    outcomes = [queue.publish_due(now=far), queue.publish_due(now=far), queue.publish_due(now=far)]

    # then
    assert outcomes == [{"retrying": 1}, {"failed": 1}, {}]
    item.refresh_from_db()
    assert item.status == "failed" and item.error_code == "wordpress_unavailable"
    assert WebhookDelivery.unscoped.filter(event_type="content.publish_failed").count() == 1


def test_bad_credentials_fail_the_item_without_retrying_and_tell_who_queued_it(
    owner, member_factory, article, fake_wordpress
):
    # given
    editor = member_factory(owner, Role.EDITOR)
    connect_wordpress(article.site, fake_wordpress, app_password="revoked")
    editor.client.post(URL, {"content": article.id}, format="json")

    # when
    outcome = queue.publish_due()

    # then
    assert outcome == {"failed": 1}
    item = PublishQueueItem.unscoped.get(content=article)
    assert item.status == "failed" and item.attempts == 1
    assert item.error_code == "wordpress_auth_failed"
    (notification,) = editor.client.get("/api/v1/notifications/").json()["results"]
    assert notification["title"] == "Not published: Pour-over coffee at home"
    assert "invalid application password" in notification["body"]


def test_a_worker_that_died_mid_publish_leaves_an_item_the_next_sweep_finishes_once(
    owner, article, fake_wordpress, settings
):
    # given: the first attempt created the post, then its worker was lost
    settings.WORDPRESS_TIMEOUT = 2.0  # long enough for the calls that answer, on a busy machine
    connect_wordpress(article.site, fake_wordpress)
    with tenant_scope(owner.account_id):
        item = queue.queue_add(account_id=owner.account_id, content_id=article.id)
    fake_wordpress.fail("POST", "posts", mode="hang_after")
    assert queue.publish_due() == {"retrying": 1}

    # when
    settings.WORDPRESS_TIMEOUT = 20.0
    outcome = queue.publish_due(now=timezone.now() + timedelta(hours=1))

    # then
    assert outcome == {"published": 1}
    assert len(fake_wordpress.posts) == 1
    assert len(fake_wordpress.post_requests("posts")) == 1
    item.refresh_from_db()
    assert item.status == "published"


def test_an_expired_claim_is_taken_again(owner, article, fake_wordpress):
    # given: a claim whose worker vanished before doing anything
    connect_wordpress(article.site, fake_wordpress)
    with tenant_scope(owner.account_id):
        item = queue.queue_add(account_id=owner.account_id, content_id=article.id)
    PublishQueueItem.unscoped.filter(id=item.id).update(
        status="publishing", attempts=1, next_attempt_at=timezone.now() - timedelta(seconds=1)
    )

    assert queue.publish_due() == {"published": 1}
    assert len(fake_wordpress.posts) == 1


def test_queued_items_can_be_cancelled_but_not_twice(owner, article, fake_wordpress):
    connect_wordpress(article.site, fake_wordpress)
    at = (timezone.now() + timedelta(days=1)).isoformat()
    item_id = owner.client.post(
        URL, {"content": article.id, "scheduled_at": at}, format="json"
    ).json()["data"]["id"]

    cancelled = owner.client.post(f"{URL}{item_id}/cancel/")
    again = owner.client.post(f"{URL}{item_id}/cancel/")

    assert cancelled.status_code == 200 and cancelled.json()["data"]["status"] == "cancelled"
    assert again.status_code == 409 and again.json()["code"] == "not_cancellable"
    assert queue.publish_due(now=timezone.now() + timedelta(days=2)) == {}


def test_the_same_content_cannot_wait_twice(owner, article, fake_wordpress):
    connect_wordpress(article.site, fake_wordpress)
    at = (timezone.now() + timedelta(days=1)).isoformat()
    body = {"content": article.id, "scheduled_at": at}

    assert owner.client.post(URL, body, format="json").status_code == 201
    again = owner.client.post(URL, body, format="json")

    assert again.status_code == 409 and again.json()["code"] == "already_queued"


def test_queueing_refuses_foreign_content_and_viewers(
    owner, other_owner, member_factory, article, fake_wordpress
):
    connect_wordpress(article.site, fake_wordpress)
    foreign = ContentFactory(account=other_owner.account)
    viewer = member_factory(owner, Role.VIEWER)

    other = owner.client.post(URL, {"content": foreign.id}, format="json")
    by_viewer = viewer.client.post(URL, {"content": article.id}, format="json")

    assert other.status_code == 400 and "content" in other.json()["errors"]
    assert by_viewer.status_code == 403
    assert PublishQueueItem.unscoped.count() == 0
    assert other_owner.client.get(URL).json()["count"] == 0


def test_content_another_worker_is_publishing_waits_for_a_retry(owner, article, fake_wordpress):
    # given: a publish of the same content (a job, say) holds its record
    integration = connect_wordpress(article.site, fake_wordpress)
    PublishRecord.unscoped.create(
        account_id=owner.account_id,
        integration=integration,
        content=article,
        site=article.site,
        status="publishing",
        lease_until=timezone.now() + timedelta(minutes=5),
    )
    with tenant_scope(owner.account_id):
        item = queue.queue_add(account_id=owner.account_id, content_id=article.id)

    # when
    outcome = queue.publish_due()

    # then
    assert outcome == {"retrying": 1}
    item.refresh_from_db()
    assert item.status == "queued" and item.error_code == "publish_in_progress"
    assert item.next_attempt_at >= timezone.now() + timedelta(seconds=25)
    assert fake_wordpress.posts == {}
