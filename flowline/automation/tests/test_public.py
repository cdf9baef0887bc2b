"""Automation's facade as a page or another app calls it: a site's schedule and open
run, defaults for a site never configured, nothing of another account."""

import pytest

from flowline.automation import public
from flowline.automation.models import AutomationConfig, AutomationRun
from flowline.automation.tests.factories import AutomationConfigFactory, AutomationRunFactory
from flowline.core.tenancy import tenant_scope
from flowline.sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def test_a_sites_automation_shows_its_schedule_and_open_run(owner):
    # given: a configured site with a paused run, and a site never configured
    config = AutomationConfigFactory(
        account=owner.account, is_enabled=True, frequency=AutomationConfig.Frequency.WEEKLY
    )
    run = AutomationRunFactory(
        account=owner.account, site=config.site, status=AutomationRun.Status.PAUSED, stage=""
    )
    bare = SiteFactory(account=owner.account)

    # when
    with tenant_scope(owner.account_id):
        status = public.automation_status(site_id=config.site_id)
        default = public.automation_status(site_id=bare.id)

    # then
    assert (status.enabled, status.frequency) == (True, "weekly")
    assert (status.run_id, status.run_status, status.run_stage) == (run.id, "paused", None)
    assert (default.enabled, default.frequency, default.run_id) == (False, "daily", None)


def test_another_accounts_site_has_no_automation_here(owner, other_owner):
    # given: another account's configured site with a running run
    config = AutomationConfigFactory(account=other_owner.account, is_enabled=True)
    AutomationRunFactory(
        account=other_owner.account, site=config.site, status=AutomationRun.Status.RUNNING
    )

    # when: asked inside the owner's scope
    with tenant_scope(owner.account_id):
        status = public.automation_status(site_id=config.site_id)

    # then: it reads as a site never configured
    assert (status.enabled, status.run_id) == (False, None)
