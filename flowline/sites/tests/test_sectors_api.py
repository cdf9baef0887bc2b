"""`auth/sectors/`, `auth/sites/{id}/sectors|select_sectors/` and `auth/site-access/`."""

import pytest

from flowline.core.roles import Role
from flowline.reference.models import Industry, IndustrySector
from flowline.sites.models import Sector, SiteUserAccess
from flowline.sites.tests.factories import SectorFactory, SiteFactory, SiteUserAccessFactory

pytestmark = pytest.mark.django_db

SITES = "/api/v1/auth/sites/"
SECTORS = "/api/v1/auth/sectors/"
ACCESS = "/api/v1/auth/site-access/"


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_editor_creates_a_sector_on_a_site(owner, member_factory):
    # given
    editor = member_factory(owner, Role.EDITOR)
    site = SiteFactory(account=owner.account)

    # when
    response = editor.client.post(SECTORS, {"site": site.id, "name": "Yoga Mats"})

    # then
    assert response.status_code == 201
    data = response.json()["data"]
    assert (data["site"], data["slug"]) == (site.id, "yoga-mats")
    assert Sector.unscoped.get(id=data["id"]).account_id == owner.account_id


def test_sector_on_another_accounts_site_is_400(owner, other_owner):
    # given
    foreign_site = SiteFactory(account=other_owner.account)

    # when
    response = owner.client.post(SECTORS, {"site": foreign_site.id, "name": "Sneaky"})

    # then
    assert response.status_code == 400
    assert "site" in response.json()["errors"]
    assert not Sector.unscoped.filter(site=foreign_site).exists()


def test_sector_cannot_be_moved_to_another_accounts_site(owner, other_owner):
    # given
    sector = SectorFactory(account=owner.account)
    foreign_site = SiteFactory(account=other_owner.account)

    # when
    response = owner.client.patch(f"{SECTORS}{sector.id}/", {"site": foreign_site.id})

    # then
    assert response.status_code == 400
    sector.refresh_from_db()
    assert sector.site.account_id == owner.account_id


def test_duplicate_sector_slug_on_the_same_site_is_400_not_500(owner):
    # given
    sector = SectorFactory(account=owner.account, slug="taken")
    other = SectorFactory(account=owner.account, site=sector.site, slug="free")

    # when
    created = owner.client.post(SECTORS, {"site": sector.site.id, "name": "X", "slug": "taken"})
    updated = owner.client.patch(f"{SECTORS}{other.id}/", {"slug": "taken"})

    # then
    assert (created.status_code, updated.status_code) == (400, 400)
    assert "slug" in created.json()["errors"]
    assert "slug" in updated.json()["errors"]


def test_viewer_cannot_create_sectors(owner, member_factory):
    # given
    viewer = member_factory(owner, Role.VIEWER)
    site = SiteFactory(account=owner.account)

    # when
    response = viewer.client.post(SECTORS, {"site": site.id, "name": "Nope"})

    # then
    assert response.status_code == 403


def test_sectors_filter_by_site_and_active_and_search(owner):
    # given
    site = SiteFactory(account=owner.account)
    match = SectorFactory(account=owner.account, site=site, name="Running shoes")
    SectorFactory(account=owner.account, site=site, name="Running socks", is_active=False)
    SectorFactory(account=owner.account, name="Running elsewhere")

    # when
    response = owner.client.get(
        SECTORS, {"site": site.id, "is_active": "true", "search": "running"}
    )

    # then
    assert _ids(response) == [match.id]


def test_site_sectors_action_lists_only_that_sites_sectors(owner):
    # given
    site = SiteFactory(account=owner.account)
    mine = SectorFactory(account=owner.account, site=site)
    SectorFactory(account=owner.account)

    # when
    response = owner.client.get(f"{SITES}{site.id}/sectors/")

    # then
    assert [row["id"] for row in response.json()["data"]] == [mine.id]


def test_select_sectors_sets_industry_and_exactly_the_chosen_sectors(owner):
    # given
    site = SiteFactory(account=owner.account)
    industry = Industry.objects.get(slug="health-fitness")
    url = f"{SITES}{site.id}/select_sectors/"
    owner.client.post(url, {"industry_slug": industry.slug, "sector_slugs": ["yoga", "running"]})

    # when
    response = owner.client.post(url, {"industry_slug": industry.slug, "sector_slugs": ["yoga"]})

    # then
    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["data"]] == ["yoga"]
    site.refresh_from_db()
    assert site.industry_id == industry.id
    active = Sector.unscoped.filter(site=site, is_active=True).values_list("slug", flat=True)
    assert list(active) == ["yoga"]
    assert Sector.unscoped.filter(site=site).count() == 2
    assert IndustrySector.objects.get(slug="yoga").industry_id == industry.id


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"industry_slug": "no-such-industry", "sector_slugs": []}, "industry_slug"),
        ({"industry_slug": "health-fitness", "sector_slugs": ["gardening"]}, "sector_slugs"),
        ({"industry_slug": "health-fitness", "sector_slugs": "yoga"}, "sector_slugs"),
        ({"industry_slug": "health-fitness", "sector_slugs": [], "extra": 1}, "extra"),
    ],
)
def test_select_sectors_with_bad_input_is_400(owner, payload, field):
    # given
    site = SiteFactory(account=owner.account)

    # when
    response = owner.client.post(f"{SITES}{site.id}/select_sectors/", payload)

    # then
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Sector.unscoped.filter(site=site).exists()


def test_admin_grants_site_access_to_a_member(owner, member_factory):
    # given
    site = SiteFactory(account=owner.account)
    editor = member_factory(owner, Role.EDITOR, all_sites=False)

    # when
    response = owner.client.post(ACCESS, {"user": editor.user.id, "site": site.id})

    # then
    assert response.status_code == 201
    grant = SiteUserAccess.unscoped.get(id=response.json()["data"]["id"])
    assert (grant.account_id, grant.granted_by_id) == (owner.account_id, owner.user.id)
    assert editor.client.get(f"{SITES}{site.id}/").status_code == 200


def test_granting_access_twice_answers_the_same_grant(owner, member_factory):
    # given
    site = SiteFactory(account=owner.account)
    editor = member_factory(owner, Role.EDITOR, all_sites=False)
    payload = {"user": editor.user.id, "site": site.id}

    # when
    first = owner.client.post(ACCESS, payload)
    second = owner.client.post(ACCESS, payload)

    # then
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["data"]["id"] == second.json()["data"]["id"]
    assert SiteUserAccess.unscoped.filter(site=site).count() == 1


def test_access_for_a_user_of_another_account_is_400_like_an_unknown_id(owner, other_owner):
    # given
    site = SiteFactory(account=owner.account)

    # when
    foreign = owner.client.post(ACCESS, {"user": other_owner.user.id, "site": site.id})
    unknown = owner.client.post(ACCESS, {"user": 987654, "site": site.id})

    # then
    assert (foreign.status_code, unknown.status_code) == (400, 400)
    assert foreign.json()["errors"]["user"] != []
    assert str(other_owner.user.id) in foreign.json()["errors"]["user"][0]
    assert foreign.json()["errors"]["user"][0].replace(str(other_owner.user.id), "?") == (
        unknown.json()["errors"]["user"][0].replace("987654", "?")
    )
    assert not SiteUserAccess.unscoped.exists()


def test_access_to_another_accounts_site_is_400(owner, other_owner, member_factory):
    # given
    editor = member_factory(owner, Role.EDITOR, all_sites=False)
    foreign_site = SiteFactory(account=other_owner.account)

    # when
    response = owner.client.post(ACCESS, {"user": editor.user.id, "site": foreign_site.id})

    # then
    assert response.status_code == 400
    assert "site" in response.json()["errors"]


def test_editor_cannot_read_or_grant_site_access(owner, member_factory):
    # given
    editor = member_factory(owner, Role.EDITOR)
    site = SiteFactory(account=owner.account)

    # when
    listed = editor.client.get(ACCESS)
    granted = editor.client.post(ACCESS, {"user": editor.user.id, "site": site.id})

    # then
    assert (listed.status_code, granted.status_code) == (403, 403)


def test_revoking_access_hides_the_site_again(owner, member_factory):
    # given
    site = SiteFactory(account=owner.account)
    editor = member_factory(owner, Role.EDITOR, all_sites=False)
    grant = SiteUserAccessFactory(account=owner.account, site=site, user=editor.user)

    # when
    revoked = owner.client.delete(f"{ACCESS}{grant.id}/")

    # then
    assert revoked.status_code == 200
    assert editor.client.get(f"{SITES}{site.id}/").status_code == 404


def test_site_access_filters_by_user(owner, member_factory):
    # given
    site = SiteFactory(account=owner.account)
    one, two = (member_factory(owner, Role.EDITOR, all_sites=False) for _ in range(2))
    grant = SiteUserAccessFactory(account=owner.account, site=site, user=one.user)
    SiteUserAccessFactory(account=owner.account, site=site, user=two.user)

    # when
    response = owner.client.get(ACCESS, {"user": one.user.id})

    # then
    assert _ids(response) == [grant.id]


@pytest.mark.parametrize("rows", [3, 30])
def test_sector_list_query_count_does_not_grow_with_rows(owner, rows, django_assert_num_queries):
    # given
    site = SiteFactory(account=owner.account)
    SectorFactory.create_batch(rows, account=owner.account, site=site)

    # when / then: membership lookup, count, page
    with django_assert_num_queries(3):
        response = owner.client.get(SECTORS, {"page_size": 100})
    assert response.json()["count"] == rows
