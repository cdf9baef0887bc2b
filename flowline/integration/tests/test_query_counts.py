"""Every list of the integration app costs the same few queries however many rows."""

import pytest

from flowline.integration.tests.factories import (
    PublishQueueItemFactory,
    PublishRecordFactory,
    SiteIntegrationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "factory"),
    [
        ("integration/integrations", SiteIntegrationFactory),
        ("publisher/records", PublishRecordFactory),
        ("publisher/queue", PublishQueueItemFactory),
    ],
)
def test_list_query_count_does_not_grow_with_rows(owner, path, factory, django_assert_num_queries):
    # given
    for _ in range(15):
        factory(account=owner.account)
    owner.client.get(f"/api/v1/{path}/")  # warm up what authentication caches

    # when / then: the membership behind the token, the count, the page
    with django_assert_num_queries(3):
        response = owner.client.get(f"/api/v1/{path}/", {"page_size": 15})
    assert len(response.json()["results"]) == 15
