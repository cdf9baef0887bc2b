"""`auth/sites/` (and `brands/`, the same objects): CRUD, roles, filters, secrets."""

import pytest
from django.db import connection

from flowline.billing.models import Plan, Subscription
from flowline.core.roles import Role
from flowline.core.tenancy import tenant_scope
from flowline.identity.models import Membership
from flowline.reference.models import Industry
from flowline.sites.models import Site
from flowline.sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

SITES = "/api/v1/auth/sites/"
BRANDS = "/api/v1/brands/"


@pytest.fixture
def owner(owner):
    """The owner on a plan with room for many sites (plan limits are billing's to test)."""
    Subscription.unscoped.filter(account=owner.account).update(plan=Plan.objects.get(slug="scale"))
    return owner


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_owner_creates_a_site_stamped_with_the_active_account(owner):
    # when
    response = owner.client.post(SITES, {"name": "Acme Blog", "url": "https://acme.test"})

    # then
    assert response.status_code == 201
    data = response.json()["data"]
    assert data["slug"] == "acme-blog"
    assert Site.unscoped.get(id=data["id"]).account_id == owner.account_id


def test_account_in_the_body_is_ignored(owner, other_owner):
    # when
    response = owner.client.post(
        SITES, {"name": "Mine", "account": other_owner.account_id, "id": 999}
    )

    # then
    assert response.status_code == 201
    site = Site.unscoped.get(id=response.json()["data"]["id"])
    assert site.account_id == owner.account_id
    assert site.id != 999
    assert "account" not in response.json()["data"]


def test_account_cannot_be_moved_by_update(owner, other_owner):
    # given
    site = SiteFactory(account=owner.account)

    # when
    response = owner.client.patch(
        f"{SITES}{site.id}/", {"account": other_owner.account_id, "name": "Renamed"}
    )

    # then
    assert response.status_code == 200
    site.refresh_from_db()
    assert (site.account_id, site.name) == (owner.account_id, "Renamed")


def test_slugs_get_a_suffix_when_names_repeat(owner):
    # when
    first = owner.client.post(SITES, {"name": "Same"}).json()["data"]
    second = owner.client.post(SITES, {"name": "Same"}).json()["data"]

    # then
    assert (first["slug"], second["slug"]) == ("same", "same-2")


def test_duplicate_slug_on_create_is_400(owner):
    # given
    SiteFactory(account=owner.account, slug="taken")

    # when
    response = owner.client.post(SITES, {"name": "Other", "slug": "taken"})

    # then
    assert response.status_code == 400
    assert "slug" in response.json()["errors"]


def test_duplicate_slug_on_update_is_400_not_500(owner):
    # given
    SiteFactory(account=owner.account, slug="taken")
    site = SiteFactory(account=owner.account, slug="free")

    # when
    response = owner.client.patch(f"{SITES}{site.id}/", {"slug": "taken"})

    # then
    assert response.status_code == 400
    assert "slug" in response.json()["errors"]
    site.refresh_from_db()
    assert site.slug == "free"


def test_same_slug_in_another_account_is_allowed(owner, other_owner):
    # given
    SiteFactory(account=other_owner.account, slug="shared")

    # when
    response = owner.client.post(SITES, {"name": "Shared", "slug": "shared"})

    # then
    assert response.status_code == 201


def test_wp_app_password_is_write_only_and_encrypted_at_rest(owner):
    # given
    secret = "abcd efgh ijkl mnop qrst uvwx"

    # when
    created = owner.client.post(SITES, {"name": "WP", "wp_app_password": secret})
    site_id = created.json()["data"]["id"]
    fetched = owner.client.get(f"{SITES}{site_id}/")

    # then
    assert created.status_code == 201
    assert secret not in created.content.decode()
    assert secret not in fetched.content.decode()
    assert fetched.json()["data"]["wp_app_password_set"] is True
    with connection.cursor() as cursor:
        table = Site._meta.db_table
        cursor.execute(f"SELECT wp_app_password FROM {table} WHERE id = %s", [site_id])
        (raw,) = cursor.fetchone()
    assert raw and secret not in raw
    assert Site.unscoped.get(id=site_id).wp_app_password == secret


def test_updating_without_the_password_keeps_it(owner):
    # given
    site = SiteFactory(account=owner.account, wp_app_password="keep-me-please")

    # when
    response = owner.client.patch(f"{SITES}{site.id}/", {"wp_username": "editor"})

    # then
    assert response.status_code == 200
    assert Site.unscoped.get(id=site.id).wp_app_password == "keep-me-please"


def test_brands_and_sites_are_the_same_objects(owner):
    # given
    created = owner.client.post(BRANDS, {"name": "Brand", "voice": "Warm"}).json()["data"]

    # when
    as_site = owner.client.get(f"{SITES}{created['id']}/")
    owner.client.patch(f"{SITES}{created['id']}/", {"voice": "Bold"})
    as_brand = owner.client.get(f"{BRANDS}{created['id']}/")

    # then
    assert as_site.json()["data"]["name"] == "Brand"
    assert as_brand.json()["data"]["voice"] == "Bold"
    assert _ids(owner.client.get(SITES)) == _ids(owner.client.get(BRANDS))


def test_editor_can_update_a_site(owner, member_factory):
    # given
    editor = member_factory(owner, Role.EDITOR)
    site = SiteFactory(account=owner.account)

    # when
    response = editor.client.patch(f"{SITES}{site.id}/", {"description": "Edited"})

    # then
    assert response.status_code == 200
    site.refresh_from_db()
    assert site.description == "Edited"


def test_editor_cannot_create_or_delete_sites(owner, member_factory):
    # given
    editor = member_factory(owner, Role.EDITOR)
    site = SiteFactory(account=owner.account)

    # when
    create = editor.client.post(SITES, {"name": "Nope"})
    delete = editor.client.delete(f"{SITES}{site.id}/")
    bulk = editor.client.post(f"{SITES}bulk_delete/", {"ids": [site.id]})

    # then
    assert [create.status_code, delete.status_code, bulk.status_code] == [403, 403, 403]
    assert Site.unscoped.filter(account=owner.account).count() == 1


def test_admin_can_create_and_delete_sites(owner, member_factory):
    # given
    admin = member_factory(owner, Role.ADMIN)

    # when
    created = admin.client.post(SITES, {"name": "By admin"})
    deleted = admin.client.delete(f"{SITES}{created.json()['data']['id']}/")

    # then
    assert (created.status_code, deleted.status_code) == (201, 200)


def test_viewer_reads_but_cannot_write(owner, member_factory):
    # given
    viewer = member_factory(owner, Role.VIEWER)
    site = SiteFactory(account=owner.account)

    # when
    listed = viewer.client.get(SITES)
    patched = viewer.client.patch(f"{SITES}{site.id}/", {"name": "Nope"})
    put = viewer.client.put(f"{SITES}{site.id}/", {"name": "Nope"})

    # then
    assert _ids(listed) == [site.id]
    assert (patched.status_code, put.status_code) == (403, 403)


def test_member_restricted_to_some_sites_only_sees_those(owner, member_factory):
    # given
    granted, hidden = SiteFactory.create_batch(2, account=owner.account)
    editor = member_factory(owner, Role.EDITOR, all_sites=False)
    owner.client.post("/api/v1/auth/site-access/", {"user": editor.user.id, "site": granted.id})

    # when
    listed = editor.client.get(SITES)
    other = editor.client.get(f"{SITES}{hidden.id}/")

    # then
    assert _ids(listed) == [granted.id]
    assert other.status_code == 404


def test_filter_by_status_and_industry(owner):
    # given
    industry = Industry.objects.first()
    match = SiteFactory(account=owner.account, industry=industry)
    SiteFactory(account=owner.account, industry=industry, status=Site.Status.INACTIVE)
    SiteFactory(account=owner.account)

    # when
    response = owner.client.get(SITES, {"status": "active", "industry": industry.id})

    # then
    assert _ids(response) == [match.id]


def test_search_matches_name_url_and_description(owner):
    # given
    by_name = SiteFactory(account=owner.account, name="Yoga Studio")
    by_text = SiteFactory(account=owner.account, description="All about yoga mats")
    SiteFactory(account=owner.account, name="Bakery")

    # when
    response = owner.client.get(SITES, {"search": "yoga"})

    # then
    assert sorted(_ids(response)) == sorted([by_name.id, by_text.id])


def test_ordering_by_name_both_ways(owner):
    # given
    for name in ["Beta", "Alpha", "Gamma"]:
        SiteFactory(account=owner.account, name=name)

    # when
    ascending = owner.client.get(SITES, {"ordering": "name"}).json()["results"]
    descending = owner.client.get(SITES, {"ordering": "-name"}).json()["results"]

    # then
    assert [row["name"] for row in ascending] == ["Alpha", "Beta", "Gamma"]
    assert [row["name"] for row in descending] == ["Gamma", "Beta", "Alpha"]


def test_ordering_by_an_unlisted_field_is_ignored(owner):
    # given
    SiteFactory.create_batch(2, account=owner.account)

    # when
    response = owner.client.get(SITES, {"ordering": "wp_app_password"})

    # then
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_set_active_remembers_the_site_for_this_member_only(owner, member_factory):
    # given
    site = SiteFactory(account=owner.account)
    viewer = member_factory(owner, Role.VIEWER)

    # when
    response = viewer.client.post(f"{SITES}{site.id}/set_active/")

    # then
    assert response.status_code == 200
    assert response.json()["data"]["id"] == site.id
    with tenant_scope(owner.account_id):
        assert Membership.objects.get(user=viewer.user).active_site_id == site.id
        assert Membership.objects.get(user=owner.user).active_site_id is None


def test_set_active_does_not_touch_memberships_in_other_accounts(owner, other_owner):
    # given
    site = SiteFactory(account=owner.account)
    elsewhere = Membership.unscoped.create(
        account=other_owner.account, user=owner.user, role=Role.VIEWER
    )

    # when
    owner.client.post(f"{SITES}{site.id}/set_active/")

    # then
    elsewhere.refresh_from_db()
    assert elsewhere.active_site_id is None


@pytest.mark.parametrize("rows", [3, 30])
def test_site_list_query_count_does_not_grow_with_rows(
    owner, rows, django_assert_num_queries, django_db_setup
):
    # given
    SiteFactory.create_batch(rows, account=owner.account)

    # when / then: membership lookup, count, page
    with django_assert_num_queries(3):
        response = owner.client.get(SITES, {"page_size": 100})
    assert response.json()["count"] == rows
