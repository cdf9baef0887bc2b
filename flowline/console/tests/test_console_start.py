"""First run in the console: the first site, its industry and sectors, WordPress tested
then connected, and the AI provider (or offline); over HTTP and in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from flowline.core.roles import Role
from flowline.core.testing.pages import CSRF, page_client
from flowline.integration.models import SiteIntegration
from flowline.integration.testing.fixtures import fake_wordpress  # noqa: F401
from flowline.sandbox.wordpress.fake_wordpress import APP_PASSWORD, USERNAME
from flowline.sites.models import Sector, Site


@pytest.mark.django_db
def test_the_dashboard_offers_getting_started_until_there_is_a_site(owner):
    client = page_client(owner)
    assert b"Set up Flowline" in client.get("/").content
    Site.unscoped.create(account=owner.account, name="Yoga", slug="yoga")
    assert b"Set up Flowline" not in client.get("/").content


@pytest.mark.django_db
def test_an_editor_cannot_run_the_first_run(owner, member_factory):
    editor = member_factory(owner, Role.EDITOR)
    assert page_client(editor).get("/start/").status_code == 403


@pytest.mark.django_db
def test_a_site_without_a_name_is_refused_beside_the_field(owner):
    page = page_client(owner).post("/start/", {"csrf_token": CSRF, "action": "site", "name": ""})
    assert page.status_code == 400 and b"is-invalid" in page.content
    assert not Site.unscoped.filter(account=owner.account).exists()


@pytest.mark.django_db
def test_wordpress_for_another_accounts_site_is_refused(owner, other_owner):
    theirs = Site.unscoped.create(account=other_owner.account, name="Theirs", slug="t")
    page = page_client(owner).post(
        f"/start/?site={theirs.id}",
        {
            "csrf_token": CSRF,
            "action": "wordpress",
            "base_url": "https://wp.example.com",
            "username": "a",
            "app_password": "b",
        },
    )
    assert page.status_code == 400
    assert not SiteIntegration.unscoped.filter(site=theirs).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_new_owner_sets_up_a_site_sectors_wordpress_and_stays_offline(
    console,
    owner,
    fake_wordpress,  # noqa: F811
):
    console.sign_in(owner)
    page = console.page
    console.go("/")
    page.get_by_role("link", name="Set up Flowline").click()

    # when: they create the site with its industry, then choose two sectors
    page.get_by_label("Site name").fill("Calm Yoga")
    page.get_by_label("Industry").select_option(label="Health & Fitness")
    page.get_by_role("button", name="Create site").click()
    expect(page.locator("#step-site")).to_contain_text("Calm Yoga")
    checkboxes = page.locator("#step-sectors input[type=checkbox]")
    checkboxes.nth(0).check()
    checkboxes.nth(1).check()
    page.get_by_role("button", name="Save sectors").click()
    expect(page.get_by_text("Sectors selected.")).to_be_visible()
    site = Site.unscoped.get(account=owner.account)
    assert Sector.unscoped.filter(site=site).count() == 2

    # when: they test WordPress with a wrong password, then the right one, and connect
    page.get_by_label("WordPress address").fill(fake_wordpress.base_url)
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Application password").fill("wrong wrong wrong")
    page.get_by_role("button", name="Test connection").click()
    expect(page.locator("#wordpress-result .alert-danger")).to_be_visible()
    page.get_by_label("Application password").fill(APP_PASSWORD)
    page.get_by_role("button", name="Test connection").click()
    expect(page.locator("#wordpress-result")).to_contain_text("Connected to WordPress.")
    page.get_by_label("Application password").fill(APP_PASSWORD)
    page.get_by_role("button", name="Connect", exact=True).click()
    expect(page.locator("#step-wordpress")).to_contain_text(re.compile("Connected to"))

    # then: they stay offline, and the steps are done
    page.get_by_role("button", name="Stay offline").click()
    expect(page.locator("#step-ai")).to_contain_text("built-in offline provider")
    console.shot("start")
    assert SiteIntegration.unscoped.filter(site=site).exists()
