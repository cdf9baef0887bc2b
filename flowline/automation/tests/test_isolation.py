"""Another account's site or run is a 404 on every automation action (the router-wide
isolation test covers `automation/runs/`; these actions take ids as parameters)."""

import pytest

from flowline.automation.models import AutomationConfig, AutomationRun
from flowline.automation.tests.factories import AutomationConfigFactory, AutomationRunFactory
from flowline.sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/automation"


def test_another_accounts_site_is_404_everywhere(owner, other_owner):
    theirs = SiteFactory(account=other_owner.account)
    AutomationConfigFactory(account=other_owner.account, site=theirs, tasks_per_run=3)
    for method, path in [
        ("get", "config/"),
        ("put", "update_config/"),
        ("patch", "update_config/"),
        ("post", "run_now/"),
        ("get", "current_run/"),
        ("get", "history/"),
        ("get", "estimate/"),
        ("get", "pipeline_overview/"),
        ("get", "current_processing/"),
    ]:
        call = getattr(owner.client, method)
        body = {"tasks_per_run": 9} if method in ("put", "patch") else None
        response = call(f"{API}/{path}?site_id={theirs.id}", body, format="json")
        assert response.status_code == 404, (method, path, response.status_code)
    assert AutomationConfig.unscoped.get(site=theirs).tasks_per_run == 3
    assert AutomationRun.unscoped.count() == 0


def test_another_accounts_run_is_404_everywhere(owner, other_owner):
    theirs = AutomationRunFactory(account=other_owner.account, status="paused")
    for method, path in [
        ("get", "logs/"),
        ("get", "current_processing/"),
        ("post", "pause/"),
        ("post", "resume/"),
        ("post", "cancel/"),
    ]:
        response = getattr(owner.client, method)(f"{API}/{path}?run_id={theirs.id}")
        assert response.status_code == 404, (method, path)
        if method == "post":
            body = owner.client.post(f"{API}/{path}", {"run_id": theirs.id}, format="json")
            assert body.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "paused"


def test_a_site_restricted_member_only_reaches_granted_sites(owner, member_factory):
    from flowline.sites.tests.factories import SiteUserAccessFactory

    granted, hidden = SiteFactory.create_batch(2, account=owner.account)
    editor = member_factory(owner, "editor", all_sites=False)
    SiteUserAccessFactory(account=owner.account, site=granted, user=editor.user)
    assert editor.client.get(f"{API}/config/?site_id={granted.id}").status_code == 200
    assert editor.client.get(f"{API}/config/?site_id={hidden.id}").status_code == 404
    run = AutomationRunFactory(account=owner.account, site=hidden)
    assert editor.client.get(f"{API}/logs/?run_id={run.id}").status_code == 404
    assert editor.client.get(f"{API}/runs/{run.id}/").status_code == 404
