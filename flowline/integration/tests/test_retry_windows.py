"""A site that is down is tried again for as long as a site owner would expect: minutes
at first, then hours, for about a day, with the state shown as it is."""

from datetime import timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from flowline.core.tenancy import tenant_scope
from flowline.integration.models import PublishQueueItem
from flowline.integration.services import queue
from flowline.integration.services.retries import retry_delay
from flowline.integration.tests.conftest import connect_wordpress, publish_now

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/publisher/queue/"


def _fail_sweeps(item, count):
    """Run the sweep each time the item is due; returns the waits it was given.

    A wait counts from the failure, which the queue stamps as `updated_at` with the
    same clock reading it adds the wait to: measured from before the sweep, it would
    also hold however long the attempt took (seconds on a loaded machine)."""
    waits = []
    for _ in range(count):
        queue.publish_due(now=item.next_attempt_at)
        item.refresh_from_db()
        if item.status != PublishQueueItem.Status.QUEUED:
            break
        waits.append((item.next_attempt_at - item.updated_at).total_seconds())
    return waits


def test_the_wait_doubles_from_a_minute_to_six_hours_with_jitter(settings):
    waits = [retry_delay(attempt) for attempt in range(1, 13)]

    assert 48 <= waits[0] <= 72 and 96 <= waits[1] <= 144
    assert all(6 * 3600 * 0.8 <= wait <= 6 * 3600 * 1.2 for wait in waits[9:])
    assert retry_delay(3, retry_after=120) == 120
    assert retry_delay(1, retry_after=10 * 24 * 3600) == 6 * 3600  # a site's Retry-After, capped


def test_a_site_down_for_hours_is_tried_until_it_is_back(owner, article, fake_wordpress):
    # given: the site answers 503 to everything
    connect_wordpress(article.site, fake_wordpress)
    item_id = owner.client.post(QUEUE, {"content": article.id}, format="json").json()["data"]["id"]
    item = PublishQueueItem.unscoped.get(id=item_id)
    fake_wordpress.fail("*", ".*", status=503, times=10_000)

    # when: eight attempts fail, then the site is back
    waits = _fail_sweeps(item, 8)
    fake_wordpress.recover()
    outcome = queue.publish_due(now=item.next_attempt_at)

    # then: waits grew from about a minute to about two hours, and it went out once
    assert len(waits) == 8 and 48 <= waits[0] <= 72
    assert all(later > earlier for earlier, later in pairwise(waits))
    assert sum(waits) > 3 * 3600
    assert outcome == {"published": 1} and len(fake_wordpress.posts) == 1
    shown = owner.client.get(f"{QUEUE}{item_id}/").json()["data"]
    assert shown["status"] == "published" and shown["attempts"] == 9
    assert shown["max_attempts"] == 12


def test_retries_give_up_after_about_a_day_and_say_so(owner, article, fake_wordpress):
    # given
    connect_wordpress(article.site, fake_wordpress)
    with tenant_scope(owner.account_id):
        item = queue.queue_add(account_id=owner.account_id, content_id=article.id)
    fake_wordpress.fail("*", ".*", status=503, times=10_000)

    # when
    waits = _fail_sweeps(item, 20)

    # then: eleven waits, 16 to 25 hours in all, then failed and announced
    assert len(waits) == 11
    assert 16 * 3600 <= sum(waits) <= 25 * 3600
    item.refresh_from_db()
    assert item.status == "failed" and item.attempts == 12
    assert item.error_code == "wordpress_unavailable"
    (notification,) = owner.client.get("/api/v1/notifications/").json()["results"]
    assert notification["title"] == "Not published: Pour-over coffee at home"


def test_publish_now_during_an_outage_hands_the_content_to_the_queue(
    owner, article, fake_wordpress
):
    # given: the site is down
    connect_wordpress(article.site, fake_wordpress)
    fake_wordpress.fail("*", ".*", status=502, times=10_000)

    # when
    job = publish_now(owner, [article.id])

    # then: the job says it will be retried, and when; the queue shows it
    assert job.status == "completed", job.error
    (outcome,) = job.result["records"]
    assert outcome["status"] == "failed" and outcome["error_code"] == "wordpress_unavailable"
    retry = outcome["retry"]
    item = owner.client.get(f"{QUEUE}{retry['queue_item_id']}/").json()["data"]
    assert item["status"] == "queued" and item["attempts"] == 1 and item["max_attempts"] == 12
    assert item["error_code"] == "wordpress_unavailable"
    queued = PublishQueueItem.unscoped.get(id=item["id"])
    wait = queued.next_attempt_at - queued.created_at  # from the failure, not from now
    assert timedelta(seconds=40) <= wait <= timedelta(seconds=75)
    # and once the site is back, the queue publishes it once
    fake_wordpress.recover()
    assert queue.publish_due(now=timezone.now() + wait) == {"published": 1}
    assert len(fake_wordpress.posts) == 1
