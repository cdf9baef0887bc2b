"""Automation in the console: configure a site's pipeline, see the estimate, run now,
follow the run's job live, pause, resume, cancel and read the log; over HTTP and in
Chromium."""

import pytest
from playwright.sync_api import expect

from flowline.automation.models import AutomationConfig, AutomationRun
from flowline.core.testing.pages import CSRF, page_client
from flowline.jobs.embedded import runtime
from flowline.sites.tests.factories import SiteFactory
from flowline.writer.tests.factories import TaskFactory


@pytest.mark.django_db
def test_saving_the_configuration_goes_through_the_api_and_shows_its_field_errors(owner, sector):
    client = page_client(owner)
    url = f"/automation/?site={sector.site_id}"
    form = {"csrf_token": CSRF, "action": "save", "frequency": "weekly", "scheduled_time": "04:30"}

    # when: a limit is out of the API's range
    refused = client.post(url, {**form, "tasks_per_run": "5000"})
    # then: nothing is saved and the API's words stand beside the field
    assert refused.status_code == 400
    assert b'id="f-tasks_per_run-error"' in refused.content
    assert not AutomationConfig.unscoped.filter(site_id=sector.site_id).exists()

    # when: the values are good
    saved = client.post(url, {**form, "tasks_per_run": "2", "is_enabled": "true"})
    # then: the config is stored as sent
    assert saved.status_code == 302
    config = AutomationConfig.unscoped.get(site_id=sector.site_id)
    assert (config.frequency, config.tasks_per_run, config.is_enabled) == ("weekly", 2, True)


@pytest.mark.django_db
def test_a_queued_run_is_paused_resumed_and_cancelled_from_the_page(owner, two_tasks):
    client = page_client(owner)
    url = f"/automation/?site={two_tasks[0].site_id}"

    # given: a run started from the page (no worker here: it stays queued)
    assert client.post(url, {"csrf_token": CSRF, "action": "run_now"}).status_code == 302
    run = AutomationRun.unscoped.get(site_id=two_tasks[0].site_id)
    page = client.get(url).content.decode()
    assert f'data-job="{run.job_id}"' in page and 'value="pause"' in page

    # when/then: pause, resume and cancel each reach the run
    for action, status in [("pause", "paused"), ("resume", "queued"), ("cancel", "cancelled")]:
        answer = client.post(url, {"csrf_token": CSRF, "action": action, "run_id": run.id})
        assert answer.status_code == 302
        run.refresh_from_db()
        assert run.status == status
    # then: the log tells the story, and a new run may start
    page = client.get(url).content.decode()
    assert "Paused before it started." in page and "Cancelled." in page
    assert 'value="run_now"' in page


@pytest.mark.django_db
def test_a_second_run_is_refused_with_the_apis_words(owner, two_tasks):
    client = page_client(owner)
    url = f"/automation/?site={two_tasks[0].site_id}"
    client.post(url, {"csrf_token": CSRF, "action": "run_now"})
    answer = client.post(url, {"csrf_token": CSRF, "action": "run_now"})
    assert answer.status_code == 409
    assert b'id="automation-refused"' in answer.content


@pytest.mark.django_db
def test_another_accounts_site_and_run_are_not_reachable(owner, other_owner):
    theirs = SiteFactory(account=other_owner.account, name="Their secret site")
    TaskFactory(account=other_owner.account, site=theirs)
    client = page_client(owner)
    page = client.get(f"/automation/?site={theirs.id}")
    assert page.status_code == 200 and b"Their secret site" not in page.content
    refused = client.post(
        f"/automation/?site={theirs.id}", {"csrf_token": CSRF, "action": "run_now"}
    )
    assert refused.status_code == 404
    assert not AutomationRun.unscoped.filter(site=theirs).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editor_configures_runs_follows_pauses_and_reads_the_log(console, owner, two_tasks):
    # given: two writer tasks waiting on the owner's site
    console.sign_in(owner)
    page = console.page
    console.go("/automation/")
    expect(page.locator("#estimate")).to_contain_text("credits")

    # when: they write one article per run, and save
    page.get_by_label("Articles written").fill("1")
    page.get_by_role("button", name="Save").click()
    # then: the API saved it, and the estimate counts one article
    expect(page.get_by_text("Configuration saved.")).to_be_visible()
    expect(page.get_by_label("Articles written")).to_have_value("1")

    # when: they run now
    page.get_by_role("button", name="Run now").click()
    # then: the run's job moves live through its stages to the end, and the log says so
    progress = page.locator("#automation-run [data-job]")
    expect(progress).to_have_attribute("data-status", "completed", timeout=60_000)
    expect(page.locator("#automation-log")).to_contain_text("Article written", timeout=15_000)
    console.shot("automation")

    # when: with the worker held, they run again (one task is left) and pause it
    runtime.stop()
    try:
        page.get_by_role("button", name="Run now").click()
        page.get_by_role("button", name="Pause").click()
        # then: the queued run paused at once, and says so
        expect(page.locator("#automation-run .status")).to_have_text("Paused")
        expect(page.locator("#automation-log")).to_contain_text("Paused before it started.")

        # when: they resume it
        page.get_by_role("button", name="Resume").click()
    finally:
        runtime.start()
    # then: the worker takes it up and the bar follows it to the end
    expect(page.locator("#automation-run [data-job]")).to_have_attribute(
        "data-status", "completed", timeout=60_000
    )
    expect(page.locator("#automation-log")).to_contain_text("Resume asked.")
    # then: the estimate was read again with the run: nothing is left to write
    expect(page.locator("#estimate")).to_contain_text("Tasks to content (0)")
    console.shot("automation-resumed")
