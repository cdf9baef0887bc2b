"""003 `PUT/PATCH auth/site-access/{id}/`: moving a grant to another member or site."""

import pytest

from flowline.core.roles import Role
from flowline.sites.models import SiteUserAccess
from flowline.sites.tests.factories import SiteFactory, SiteUserAccessFactory

pytestmark = pytest.mark.django_db

SITES = "/api/v1/auth/sites/"
ACCESS = "/api/v1/auth/site-access/"


def test_admin_moves_a_grant_to_another_site(owner, member_factory):
    # given
    old_site, new_site = SiteFactory(account=owner.account), SiteFactory(account=owner.account)
    editor = member_factory(owner, Role.EDITOR, all_sites=False)
    admin = member_factory(owner, Role.ADMIN)
    grant = SiteUserAccessFactory(account=owner.account, site=old_site, user=editor.user)

    # when
    response = admin.client.put(
        f"{ACCESS}{grant.id}/", {"user": editor.user.id, "site": new_site.id}
    )

    # then
    assert response.status_code == 200, response.content
    assert response.json()["data"]["site"] == new_site.id
    assert response.json()["data"]["granted_by"] == admin.user.id
    assert editor.client.get(f"{SITES}{new_site.id}/").status_code == 200
    assert editor.client.get(f"{SITES}{old_site.id}/").status_code == 404


def test_patch_changes_only_the_member(owner, member_factory):
    # given
    site = SiteFactory(account=owner.account)
    one, two = (member_factory(owner, Role.EDITOR, all_sites=False) for _ in range(2))
    grant = SiteUserAccessFactory(account=owner.account, site=site, user=one.user)

    # when
    response = owner.client.patch(f"{ACCESS}{grant.id}/", {"user": two.user.id})

    # then
    assert response.status_code == 200, response.content
    grant.refresh_from_db()
    assert (grant.user_id, grant.site_id) == (two.user.id, site.id)


def test_moving_a_grant_onto_an_existing_one_is_409(owner, member_factory):
    # given
    one_site, two_site = SiteFactory(account=owner.account), SiteFactory(account=owner.account)
    editor = member_factory(owner, Role.EDITOR, all_sites=False)
    grant = SiteUserAccessFactory(account=owner.account, site=one_site, user=editor.user)
    SiteUserAccessFactory(account=owner.account, site=two_site, user=editor.user)

    # when
    response = owner.client.put(
        f"{ACCESS}{grant.id}/", {"user": editor.user.id, "site": two_site.id}
    )

    # then
    assert response.status_code == 409
    grant.refresh_from_db()
    assert grant.site_id == one_site.id


def test_moving_a_grant_to_another_accounts_site_or_user_is_400(owner, other_owner, member_factory):
    # given
    site = SiteFactory(account=owner.account)
    editor = member_factory(owner, Role.EDITOR, all_sites=False)
    grant = SiteUserAccessFactory(account=owner.account, site=site, user=editor.user)
    foreign_site = SiteFactory(account=other_owner.account)

    # when
    to_site = owner.client.patch(f"{ACCESS}{grant.id}/", {"site": foreign_site.id})
    to_user = owner.client.patch(f"{ACCESS}{grant.id}/", {"user": other_owner.user.id})

    # then
    assert (to_site.status_code, to_user.status_code) == (400, 400)
    assert SiteUserAccess.unscoped.get(id=grant.id).site_id == site.id


def test_another_accounts_grant_is_404_and_editors_are_403(owner, other_owner, member_factory):
    # given
    foreign = SiteUserAccessFactory(
        account=other_owner.account,
        site=SiteFactory(account=other_owner.account),
        user=other_owner.user,
    )
    site = SiteFactory(account=owner.account)
    editor = member_factory(owner, Role.EDITOR, all_sites=False)
    grant = SiteUserAccessFactory(account=owner.account, site=site, user=editor.user)

    # when
    foreign_put = owner.client.put(
        f"{ACCESS}{foreign.id}/", {"user": owner.user.id, "site": site.id}
    )
    editor_put = editor.client.patch(f"{ACCESS}{grant.id}/", {"site": site.id})

    # then
    assert (foreign_put.status_code, editor_put.status_code) == (404, 403)
