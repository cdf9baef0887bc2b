"""Categories and tags in the console: listed by site, added and edited through the
API's validation, deleted in bulk; another account's are not found."""

import pytest

from flowline.core.roles import Role
from flowline.core.testing.pages import CSRF, page_client
from flowline.sites.tests.factories import SiteFactory
from flowline.writer.models import Taxonomy
from flowline.writer.tests.factories import TaxonomyFactory


@pytest.mark.django_db
def test_a_sites_categories_and_tags_are_listed(owner):
    # given
    site = SiteFactory(account=owner.account, name="Yoga Studio")
    TaxonomyFactory(account=owner.account, site=site, name="Beginners")
    TaxonomyFactory(account=owner.account, site=site, name="Mats", taxonomy_type="tag")
    # when
    page = page_client(owner).get(f"/writer/taxonomies/?site_id={site.id}&taxonomy_type=tag")
    # then
    assert page.status_code == 200
    assert b"Mats" in page.content and b"Beginners" not in page.content


@pytest.mark.django_db
def test_an_empty_account_says_there_are_no_terms_yet(owner):
    page = page_client(owner).get("/writer/taxonomies/")
    assert b"No categories or tags yet" in page.content


@pytest.mark.django_db
def test_an_editor_adds_a_tag_and_its_slug_is_made_from_the_name(owner, member_factory):
    editor = member_factory(owner, Role.EDITOR)
    site = SiteFactory(account=owner.account)
    page = page_client(editor).post(
        "/writer/taxonomies/new/",
        {"csrf_token": CSRF, "site": site.id, "taxonomy_type": "tag", "name": "Hot Yoga"},
    )
    assert page.status_code == 302
    assert Taxonomy.unscoped.get(site=site, taxonomy_type="tag").slug == "hot-yoga"


@pytest.mark.django_db
def test_a_taken_slug_is_refused_beside_the_field(owner):
    site = SiteFactory(account=owner.account)
    TaxonomyFactory(account=owner.account, site=site, name="Mats", slug="mats")
    page = page_client(owner).post(
        "/writer/taxonomies/new/",
        {"csrf_token": CSRF, "site": site.id, "taxonomy_type": "category", "name": "Mats",
         "slug": "mats"},
    )  # fmt: skip
    assert page.status_code in (400, 409)
    assert Taxonomy.unscoped.filter(site=site).count() == 1


@pytest.mark.django_db
def test_a_category_is_renamed(owner):
    term = TaxonomyFactory(account=owner.account, name="Old")
    client = page_client(owner)
    assert b'value="Old"' in client.get(f"/writer/taxonomies/{term.id}/").content
    page = client.post(
        f"/writer/taxonomies/{term.id}/",
        {"csrf_token": CSRF, "site": term.site_id, "taxonomy_type": "category", "name": "New"},
    )
    assert page.status_code == 302
    term.refresh_from_db()
    assert term.name == "New"


@pytest.mark.django_db
def test_a_viewer_cannot_add_a_term(owner, member_factory):
    viewer = member_factory(owner, Role.VIEWER)
    site = SiteFactory(account=owner.account)
    page = page_client(viewer).post(
        "/writer/taxonomies/new/",
        {"csrf_token": CSRF, "site": site.id, "taxonomy_type": "tag", "name": "Nope"},
    )
    assert page.status_code == 403
    assert not Taxonomy.unscoped.filter(site=site).exists()


@pytest.mark.django_db
def test_other_accounts_term_is_404(owner, other_owner):
    theirs = TaxonomyFactory(account=other_owner.account)
    client = page_client(owner)
    assert client.get(f"/writer/taxonomies/{theirs.id}/").status_code == 404
    page = client.post(
        f"/writer/taxonomies/{theirs.id}/",
        {"csrf_token": CSRF, "site": theirs.site_id, "taxonomy_type": "tag", "name": "Mine"},
    )
    assert page.status_code in (400, 404)
    theirs.refresh_from_db()
    assert theirs.name != "Mine"


@pytest.mark.django_db
def test_selected_terms_are_deleted_in_bulk(owner):
    terms = TaxonomyFactory.create_batch(2, account=owner.account)
    page = page_client(owner).post(
        "/writer/taxonomies/",
        {"csrf_token": CSRF, "action": "bulk_delete", "ids": [t.id for t in terms]},
    )
    assert page.status_code == 200
    assert not Taxonomy.unscoped.filter(account=owner.account).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editor_files_articles_under_a_new_category_by_keyboard(console, owner):
    from playwright.sync_api import expect

    # given: a site without terms
    SiteFactory(account=owner.account, name="Yoga Studio")
    console.sign_in(owner)
    page = console.page
    console.go("/writer/taxonomies/")
    expect(page.get_by_text("No categories or tags yet")).to_be_visible()

    # when: they add a category from the menu's page, typing and pressing Enter
    page.get_by_role("link", name="Add a category or tag").first.click()
    page.get_by_label("Name").fill("Beginners")
    page.get_by_label("Description").fill("First steps on the mat.")
    page.get_by_label("Name").press("Enter")

    # then: it is listed with its slug, and a second one with the same slug is refused
    expect(page.locator("#list-table")).to_contain_text("beginners")
    console.go("/writer/taxonomies/new/")
    page.get_by_label("Name").fill("Beginners again")
    page.get_by_label("Slug").fill("beginners")
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    console.shot("writer-taxonomy-refused", full_page=False)
    console.go("/writer/taxonomies/")
    console.shot("writer-taxonomies")

    # and: on a phone the list still reads
    page.set_viewport_size({"width": 390, "height": 844})
    console.go("/writer/taxonomies/")
    expect(page.locator("#list-table")).to_contain_text("Beginners")
    console.shot("writer-taxonomies-phone")
