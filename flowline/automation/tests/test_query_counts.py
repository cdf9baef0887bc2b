"""Automation's history and logs cost the same few queries however long. (Its router
lists, and the optimizer's, are pinned by core's test_list_query_counts.)"""

import pytest

from flowline.automation.tests.factories import AutomationLogFactory, AutomationRunFactory
from flowline.sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


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
