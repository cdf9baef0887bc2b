"""Jobs in the console: the panel and a job's page follow a running job live."""

import re

import pytest
from django.test import TestCase
from playwright.sync_api import expect

from flowline.jobs import services
from flowline.jobs.testing import ended, gates

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_running_jobs_progress_moves_live_and_the_job_can_be_cancelled(console, owner):
    # given: a job that takes its steps when the test lets it
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services.job_start(
            kind="test.steps",
            account_id=owner.account_id,
            user_id=owner.user.id,
            payload={"steps": 4, "gated": True},
        )
    console.sign_in(owner)
    console.go(f"/jobs/{job.id}/")
    bar = console.page.locator(f'main [data-job="{job.id}"] [role=progressbar]')
    expect(bar).to_have_attribute("aria-valuenow", "0")

    # when: it takes two steps, the page follows without a reload
    gates[str(job.id)].release()
    expect(console.page.locator("main").get_by_text("Step 1 of 4")).to_be_visible()
    gates[str(job.id)].release()
    expect(bar).to_have_attribute("aria-valuenow", "50")
    console.shot("job")

    # then: the panel in the top bar lists it, and cancelling it stops it
    console.page.get_by_role("button", name="Jobs, 1 running").click()
    expect(console.page.locator(".dropdown-menu").get_by_text("test.steps")).to_be_visible()
    console.page.get_by_role("button", name="Cancel job").click()
    expect(console.page.get_by_text("Cancel requested.")).to_be_visible()
    gates[str(job.id)].release()
    expect(console.page.locator(f'main [data-job="{job.id}"]')).to_have_attribute(
        "data-status", "cancelled"
    )


def test_a_job_that_ends_before_the_page_is_subscribed_shows_its_end(console, owner):
    # given: a running job, and its page held back before its live part starts
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services.job_start(
            kind="test.steps",
            account_id=owner.account_id,
            user_id=owner.user.id,
            payload={"steps": 1, "gated": True},
        )
    console.sign_in(owner)
    held = []
    console.page.route("**/console/console.js*", lambda route: held.append(route))
    console.page.goto(f"{console.url}/jobs/{job.id}/", wait_until="commit")
    progress = console.page.locator(f'main [data-job="{job.id}"]')
    expect(progress).to_have_attribute("data-status", re.compile("queued|processing"))

    # when: the job ends while nothing listens, and then the page's script runs
    gates[str(job.id)].release()
    assert ended[str(job.id)].wait(timeout=15)
    held[0].continue_()

    # then: the page shows the job's end, though no event reached it
    expect(progress).to_have_attribute("data-status", "completed")
    expect(progress.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
