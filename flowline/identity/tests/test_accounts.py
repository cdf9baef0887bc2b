"""Accounts (auth/accounts/, account/settings/): a user's own accounts, and who may change them."""

import pytest

from flowline.core.roles import Role
from flowline.identity.models import Account, Membership, User
from flowline.sites.models import Site
from flowline.sites.tests.factories import SiteFactory

API = "/api/v1"


@pytest.mark.django_db
def test_user_lists_only_the_accounts_they_belong_to(owner, other_owner):
    # when
    response = owner.client.get(f"{API}/auth/accounts/")

    # then
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [owner.account_id]


@pytest.mark.django_db
def test_another_account_is_404_for_read_update_and_delete(owner, other_owner):
    # when
    url = f"{API}/auth/accounts/{other_owner.account_id}/"
    read = owner.client.get(url)
    update = owner.client.patch(url, {"name": "Hijacked"}, format="json")
    delete = owner.client.delete(url)

    # then
    assert read.status_code == update.status_code == delete.status_code == 404
    assert Account.objects.get(pk=other_owner.account_id).name != "Hijacked"


@pytest.mark.django_db
def test_inactive_membership_hides_the_account(owner, other_owner):
    # given
    Membership.unscoped.create(
        account=other_owner.account, user=owner.user, role=Role.ADMIN, is_active=False
    )

    # when
    response = owner.client.get(f"{API}/auth/accounts/{other_owner.account_id}/")

    # then
    assert response.status_code == 404


@pytest.mark.django_db
def test_admin_updates_the_account(owner, member_factory):
    # given
    admin = member_factory(owner, Role.ADMIN)

    # when
    response = admin.client.patch(
        f"{API}/auth/accounts/{owner.account_id}/",
        {"name": "Renamed", "timezone": "Europe/Berlin"},
        format="json",
    )

    # then
    assert response.status_code == 200, response.content
    account = Account.objects.get(pk=owner.account_id)
    assert (account.name, account.timezone) == ("Renamed", "Europe/Berlin")


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_editors_and_viewers_cannot_update_the_account(owner, member_factory, role):
    # given
    member = member_factory(owner, role)

    # when
    response = member.client.patch(
        f"{API}/auth/accounts/{owner.account_id}/", {"name": "Nope"}, format="json"
    )
    settings = member.client.patch(f"{API}/account/settings/", {"name": "Nope"}, format="json")

    # then
    assert response.status_code == settings.status_code == 403
    assert Account.objects.get(pk=owner.account_id).name != "Nope"


@pytest.mark.django_db
def test_owner_and_status_cannot_be_set_through_the_api(owner, other_owner):
    # when
    response = owner.client.patch(
        f"{API}/auth/accounts/{owner.account_id}/",
        {"owner": other_owner.user.id, "status": "suspended"},
        format="json",
    )

    # then
    assert response.status_code == 200
    account = Account.objects.get(pk=owner.account_id)
    assert account.owner_id == owner.user.id and account.status == "active"


@pytest.mark.django_db
def test_only_the_owner_may_delete_the_account(owner, member_factory):
    # given
    admin = member_factory(owner, Role.ADMIN)

    # when
    response = admin.client.delete(f"{API}/auth/accounts/{owner.account_id}/")

    # then
    assert response.status_code == 403
    assert Account.objects.filter(pk=owner.account_id).exists()


@pytest.mark.django_db
def test_owner_deletes_the_account_with_its_sites_and_memberships(owner, member_factory):
    # given an account with a site, a member and an API key
    SiteFactory(account=owner.account)
    editor = member_factory(owner, Role.EDITOR)
    key = owner.client.post(
        f"{API}/auth/api-keys/", {"name": "k", "scopes": ["*:read"]}, format="json"
    )
    assert key.status_code == 201

    # when
    response = owner.client.delete(f"{API}/auth/accounts/{owner.account_id}/")

    # then what the account owned is gone; the people remain
    assert response.status_code == 200, response.content
    assert not Account.objects.filter(pk=owner.account_id).exists()
    assert not Site.unscoped.filter(account_id=owner.account_id).exists()
    assert not Membership.unscoped.filter(account_id=owner.account_id).exists()
    assert User.objects.filter(pk__in=[owner.user.id, editor.user.id]).count() == 2
    assert editor.client.get(f"{API}/auth/me/").status_code == 401


@pytest.mark.django_db
def test_create_a_second_account_owned_by_the_user(owner):
    # when
    response = owner.client.post(f"{API}/auth/accounts/", {"name": "Side project"}, format="json")

    # then the user owns it, may switch to it, and sees both accounts
    assert response.status_code == 201, response.content
    created = response.json()["data"]
    assert created["name"] == "Side project" and created["owner"] == owner.user.id
    listed = owner.client.get(f"{API}/auth/accounts/").json()["results"]
    assert sorted(row["id"] for row in listed) == sorted([owner.account_id, created["id"]])
    switched = owner.client.post(
        f"{API}/auth/switch-account/", {"account_id": created["id"]}, format="json"
    )
    assert switched.status_code == 200
    assert switched.json()["data"]["user"]["role"] == "owner"


@pytest.mark.django_db
def test_account_settings_show_and_change_the_active_account(owner, other_owner):
    # when
    read = owner.client.get(f"{API}/account/settings/")
    changed = owner.client.patch(
        f"{API}/account/settings/", {"billing_email": "billing@example.com"}, format="json"
    )

    # then
    assert read.status_code == 200 and read.json()["data"]["id"] == owner.account_id
    assert changed.status_code == 200
    assert Account.objects.get(pk=owner.account_id).billing_email == "billing@example.com"
    assert Account.objects.get(pk=other_owner.account_id).billing_email != "billing@example.com"


@pytest.mark.django_db
def test_usage_analytics_counts_the_active_accounts_members(owner, member_factory):
    # given
    member_factory(owner, Role.EDITOR)

    # when
    response = owner.client.get(f"{API}/account/usage/analytics/")

    # then
    assert response.status_code == 200
    assert response.json()["data"]["usage"]["members"] == 2
