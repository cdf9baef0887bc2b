"""Every list of automation and the optimizer costs the same few queries however many rows."""

import pytest

from flowline.automation.tests.factories import AutomationLogFactory, AutomationRunFactory
from flowline.optimizer.tests.factories import ContentScoreFactory, LinkSuggestionFactory
from flowline.sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "factory"),
    [
        ("automation/runs", AutomationRunFactory),
        ("optimizer", ContentScoreFactory),
        ("linker", LinkSuggestionFactory),
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


def test_history_and_logs_cost_the_same_however_long(owner, django_assert_num_queries):
    site = SiteFactory(account=owner.account)
    run = AutomationRunFactory(account=owner.account, site=site)
    AutomationRunFactory.create_batch(14, account=owner.account, site=site)
    AutomationLogFactory.create_batch(15, account=owner.account, run=run)
    owner.client.get(f"/api/v1/automation/history/?site_id={site.id}")
    # membership, the site, the count, the page (and for logs: the run instead of the site)
    with django_assert_num_queries(4):
        history = owner.client.get(f"/api/v1/automation/history/?site_id={site.id}&page_size=15")
    with django_assert_num_queries(4):
        logs = owner.client.get(f"/api/v1/automation/logs/?run_id={run.id}&page_size=15")
    assert len(history.json()["results"]) == len(logs.json()["results"]) == 15
