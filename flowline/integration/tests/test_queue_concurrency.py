"""Several sweeps at once: real threads on PostgreSQL (SQLite has no row locks)."""

from collections import Counter

import pytest
from django.db import connection

from flowline.core.tenancy import tenant_scope
from flowline.core.testing.race import race
from flowline.integration.models import PublishQueueItem
from flowline.integration.services import queue
from flowline.integration.tests.conftest import connect_wordpress
from flowline.sites.tests.factories import SectorFactory
from flowline.writer.tests.factories import ContentFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _sweep_concurrently(count: int) -> Counter:
    totals: Counter = Counter()
    for outcome in race(queue.publish_due, count=count, timeout=120):
        totals.update(outcome)
    return totals


def test_items_due_at_once_are_each_published_once_by_concurrent_sweeps(owner, fake_wordpress):
    # given: twelve pieces of content due in the same minute
    sector = SectorFactory(account=owner.account)
    connect_wordpress(sector.site, fake_wordpress)
    contents = [
        ContentFactory(account=owner.account, sector=sector, site=sector.site, title=f"Post {n}")
        for n in range(12)
    ]
    with tenant_scope(owner.account_id):  # as the request that queues them
        for content in contents:
            queue.queue_add(account_id=owner.account_id, content_id=content.id)

    # when: three workers sweep at the same moment
    totals = _sweep_concurrently(3)

    # then
    assert totals == Counter({"published": 12})
    assert len(fake_wordpress.posts) == 12
    assert len(fake_wordpress.post_requests("posts")) == 12
    titles = sorted(post["title"] for post in fake_wordpress.posts.values())
    assert titles == sorted(content.title for content in contents)
    items = PublishQueueItem.unscoped.filter(account_id=owner.account_id)
    assert set(items.values_list("status", flat=True)) == {"published"}
    assert set(items.values_list("attempts", flat=True)) == {1}
