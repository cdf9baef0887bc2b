"""Sites in the console: what a member sees and may do, over HTTP and in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from flowline.core.roles import Role
from flowline.core.testing.pages import page_client
from flowline.sites.models import Site


@pytest.mark.django_db
def test_sites_page_lists_only_this_accounts_sites(owner, other_owner):
    Site.unscoped.create(account=owner.account, name="Yoga Studio", slug="yoga")
    Site.unscoped.create(account=other_owner.account, name="Secret Site", slug="secret")
    page = page_client(owner).get("/sites/")
    assert page.status_code == 200
    assert b"Yoga Studio" in page.content and b"Secret Site" not in page.content


@pytest.mark.django_db
def test_another_accounts_site_is_not_found_in_the_console(owner, other_owner):
    theirs = Site.unscoped.create(account=other_owner.account, name="Secret", slug="s")
    assert page_client(owner).get(f"/sites/{theirs.id}/").status_code == 404


@pytest.mark.django_db
def test_viewer_cannot_add_a_site_and_the_form_says_so(owner, member_factory):
    viewer = member_factory(owner, Role.VIEWER)
    client = page_client(viewer)
    response = client.post("/sites/add/", {"csrf_token": "csrf-test-token", "name": "Mine"})
    assert response.status_code in (400, 403)
    assert not Site.unscoped.filter(name="Mine").exists()


@pytest.mark.django_db
def test_a_form_post_without_the_csrf_token_is_refused(owner):
    client = page_client(owner)
    response = client.post("/sites/add/", {"name": "Forged"})
    assert response.status_code == 403
    assert not Site.unscoped.filter(name="Forged").exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_adds_edits_finds_and_deletes_a_site(console, owner):
    page = console.page
    console.go("/login/?next=/sites/")
    page.get_by_label("Email").fill(owner.user.email)
    page.get_by_label("Password").fill(owner.password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Sites", exact=True).wait_for()
    console.shot("sites-empty")

    # when: they add a site, leaving the name out first
    page.get_by_role("link", name="Add site").first.click()
    page.get_by_role("button", name="Add site").click()
    page.get_by_text("This field may not be blank.").wait_for()
    page.get_by_label("Name").fill("Yoga Studio")
    page.get_by_label("Website address").fill("https://yoga.example.com")
    page.get_by_label("Industry").select_option(label="Health & Fitness")
    console.shot("site-form")
    page.get_by_role("button", name="Add site").click()
    page.get_by_text("Site added.").wait_for()
    page.get_by_role("link", name="Yoga Studio").click()
    page.get_by_label("Brand voice").fill("Calm and encouraging.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Site saved.").wait_for()

    # then: a search finds it, and it can be deleted from the list
    Site.unscoped.create(account=owner.account, name="Pottery Shop", slug="pottery")
    page.reload()
    expect(page.locator("#list-table tbody tr")).to_have_count(2)
    console.shot("sites")
    page.get_by_role("searchbox", name="Search sites").fill("yoga")
    expect(page.locator("#list-table tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"search=yoga"))
    page.get_by_label(re.compile("Select row")).first.check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete").click()
    page.get_by_text("Deleted 1 items.").wait_for()
    assert list(Site.unscoped.filter(account=owner.account).values_list("name", flat=True)) == [
        "Pottery Shop"
    ]
