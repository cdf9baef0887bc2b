"""Invitations: a mailed, signed link whose acceptance creates the membership once."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail

from flowline.core.roles import Role
from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity.models import Invitation, Membership
from flowline.identity.tests.factories import UserFactory
from flowline.sites.tests.factories import SiteFactory

API = "/api/v1"
PASSWORD = "Invited-Pass-4471"


def _invite(member, email: str, role: str = "editor", **extra):
    return member.client.post(
        f"{API}/auth/users/invite/", {"email": email, "role": role, **extra}, format="json"
    )


def _token_for(email: str) -> str:
    message = [m for m in mail.outbox if m.to == [email]][-1]
    url = re.search(r"https?://\S+", message.body).group(0)
    return parse_qs(urlparse(url).query)["token"][0]


def _accept(token: str, password: str = PASSWORD, **extra):
    return APIClient().post(
        f"{API}/auth/invitations/accept/",
        {"token": token, "password": password, **extra},
        format="json",
    )


def _bearer(response) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['data']['tokens']['access']}")
    return client


@pytest.mark.django_db
def test_invite_mails_a_link_naming_the_account_and_role(owner):
    # given an account whose name needs no escaping in a plain-text mail
    owner.account.name = "Tom & Jerry's"
    owner.account.save(update_fields=["name"])

    # when
    response = _invite(owner, "Ed@Example.com", role="editor")

    # then
    assert response.status_code == 201, response.content
    assert response.json()["data"]["email"] == "ed@example.com"
    assert response.json()["data"]["status"] == "pending"
    message = mail.outbox[-1]
    assert message.to == ["ed@example.com"]
    assert "Tom & Jerry's" in message.subject
    assert "as editor" in message.body


@pytest.mark.django_db
def test_accepting_creates_the_membership_with_the_invited_role(owner):
    # given
    _invite(owner, "ed@example.com", role="editor")

    # when
    response = _accept(_token_for("ed@example.com"), first_name="Ed")

    # then the new user is signed into the inviting account as editor
    assert response.status_code == 201, response.content
    user = response.json()["data"]["user"]
    assert user["role"] == "editor" and user["account"]["id"] == owner.account_id
    assert user["email_verified"] is True
    membership = Membership.unscoped.get(account=owner.account, user__email="ed@example.com")
    assert membership.role == Role.EDITOR and membership.all_sites
    assert _bearer(response).get(f"{API}/auth/me/").status_code == 200


@pytest.mark.django_db
def test_invitation_cannot_be_accepted_twice(owner):
    # given an accepted invitation
    _invite(owner, "ed@example.com")
    token = _token_for("ed@example.com")
    assert _accept(token).status_code == 201

    # when
    response = _accept(token)

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invitation_invalid"
    assert Membership.unscoped.filter(user__email="ed@example.com").count() == 1


@pytest.mark.django_db
def test_a_newer_invitation_revokes_the_older_link(owner):
    # given two invitations for the same address
    _invite(owner, "ed@example.com", role="viewer")
    first = _token_for("ed@example.com")
    _invite(owner, "ed@example.com", role="editor")
    second = _token_for("ed@example.com")

    # when
    old = _accept(first)
    new = _accept(second)

    # then only the newest counts
    assert old.status_code == 400
    assert new.status_code == 201
    assert new.json()["data"]["user"]["role"] == "editor"


@pytest.mark.django_db
def test_revoked_invitation_cannot_be_accepted(owner):
    # given
    invitation_id = _invite(owner, "ed@example.com").json()["data"]["id"]
    assert owner.client.delete(f"{API}/auth/invitations/{invitation_id}/").status_code in (200, 204)

    # when
    response = _accept(_token_for("ed@example.com"))

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invitation_invalid"


@pytest.mark.django_db
def test_forged_invitation_token_is_link_invalid(owner):
    # given
    _invite(owner, "ed@example.com")
    token = _token_for("ed@example.com")

    # when
    response = _accept(token[:-4] + "abcd")

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "link_invalid"


@pytest.mark.django_db
def test_admin_cannot_invite_an_owner(owner, member_factory):
    # given
    admin = member_factory(owner, Role.ADMIN)

    # when
    response = _invite(admin, "boss@example.com", role="owner")

    # then
    assert response.status_code == 400
    assert "role" in response.json()["errors"]
    assert not Invitation.unscoped.filter(email="boss@example.com").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_admin_can_invite_an_admin(owner, member_factory):
    # given
    admin = member_factory(owner, Role.ADMIN)

    # when
    response = _invite(admin, "second-admin@example.com", role="admin")

    # then
    assert response.status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_editors_and_viewers_cannot_invite(owner, member_factory, role):
    # given
    member = member_factory(owner, role)

    # when
    via_users = _invite(member, "x@example.com", role="viewer")
    via_team = member.client.post(
        f"{API}/account/team/", {"email": "x@example.com", "role": "viewer"}, format="json"
    )

    # then
    assert via_users.status_code == via_team.status_code == 403
    assert mail.outbox == []


@pytest.mark.django_db
def test_inviting_a_current_member_is_409(owner, member_factory):
    # given
    editor = member_factory(owner, Role.EDITOR)

    # when
    response = _invite(owner, editor.user.email.upper())

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "already_member"


@pytest.mark.django_db
def test_existing_user_must_give_their_own_password_to_accept(owner, other_owner):
    # given the other account's owner is invited into this account
    _invite(owner, other_owner.user.email, role="viewer")
    token = _token_for(other_owner.user.email)

    # when a wrong password is given, then the right one
    wrong = _accept(token, password="Someone-Elses-Pass-1")
    right = _accept(token, password=other_owner.password)

    # then the account is only joined with the right password, and the password is unchanged
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "invalid_credentials"
    assert right.status_code == 201, right.content
    assert right.json()["data"]["user"]["role"] == "viewer"
    accounts = {a["id"] for a in right.json()["data"]["user"]["accounts"]}
    assert accounts == {owner.account_id, other_owner.account_id}
    other_owner.user.refresh_from_db()
    assert other_owner.user.check_password(other_owner.password)


@pytest.mark.django_db
def test_new_user_accepting_with_a_weak_password_is_400(owner):
    # given
    _invite(owner, "ed@example.com")

    # when
    response = _accept(_token_for("ed@example.com"), password="123")

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "weak_password"
    assert not Membership.unscoped.filter(user__email="ed@example.com").exists()


@pytest.mark.django_db
def test_accepting_after_being_added_directly_is_409_not_500(owner):
    # given a pending invitation, and the same person added directly by an admin meanwhile
    _invite(owner, "ed@example.com")
    token = _token_for("ed@example.com")
    added = owner.client.post(
        f"{API}/auth/users/",
        {"email": "ed@example.com", "password": PASSWORD, "role": "viewer"},
        format="json",
    )
    assert added.status_code == 201, added.content

    # when the invitation is accepted
    response = _accept(token)

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "already_member"
    assert Membership.unscoped.filter(user__email="ed@example.com").count() == 1


@pytest.mark.django_db
def test_site_restricted_invitation_gives_access_to_those_sites_only(owner):
    # given three sites, an invitation to two of them
    granted = [SiteFactory(account=owner.account), SiteFactory(account=owner.account)]
    hidden = SiteFactory(account=owner.account)
    response = _invite(owner, "ed@example.com", site_ids=[s.id for s in granted])
    assert response.status_code == 201, response.content

    # when
    accepted = _accept(_token_for("ed@example.com"))
    editor = _bearer(accepted)

    # then only those sites are listed and reachable
    listed = editor.get(f"{API}/auth/sites/").json()["results"]
    assert sorted(site["id"] for site in listed) == sorted(s.id for s in granted)
    assert editor.get(f"{API}/auth/sites/{granted[0].id}/").status_code == 200
    assert editor.get(f"{API}/auth/sites/{hidden.id}/").status_code == 404
    assert editor.patch(f"{API}/auth/sites/{hidden.id}/", {"name": "x"}).status_code == 404
    me = editor.get(f"{API}/auth/me/").json()["data"]
    assert sorted(s["id"] for s in me["accessible_sites"]) == sorted(s.id for s in granted)


@pytest.mark.django_db
def test_invitation_naming_another_accounts_site_is_400(owner, other_owner):
    # given
    foreign = SiteFactory(account=other_owner.account)

    # when
    response = _invite(owner, "ed@example.com", site_ids=[foreign.id])

    # then
    assert response.status_code == 400
    assert response.json()["errors"]["site_ids"] == [foreign.id]
    assert mail.outbox == []


@pytest.mark.django_db
def test_site_deleted_before_acceptance_is_left_out_not_a_500(owner):
    # given an invitation to two sites, one of which is deleted before it is accepted
    kept, deleted = SiteFactory(account=owner.account), SiteFactory(account=owner.account)
    _invite(owner, "ed@example.com", site_ids=[kept.id, deleted.id])
    assert owner.client.delete(f"{API}/auth/sites/{deleted.id}/").status_code in (200, 204)

    # when
    response = _accept(_token_for("ed@example.com"))

    # then
    assert response.status_code == 201, response.content
    sites = _bearer(response).get(f"{API}/auth/sites/").json()["results"]
    assert [site["id"] for site in sites] == [kept.id]


@pytest.mark.django_db
def test_invitations_list_is_for_admins_and_shows_no_tokens(owner, member_factory):
    # given
    _invite(owner, "ed@example.com")
    token = _token_for("ed@example.com")
    viewer = member_factory(owner, Role.VIEWER)

    # when
    listed = owner.client.get(f"{API}/auth/invitations/")
    refused = viewer.client.get(f"{API}/auth/invitations/")

    # then
    assert listed.status_code == 200
    assert listed.json()["count"] == 1
    assert token not in listed.content.decode()
    assert refused.status_code == 403


@pytest.mark.django_db
def test_user_created_directly_by_an_admin_can_log_in_with_the_role(owner):
    # given
    UserFactory(email="unrelated@example.com")

    # when
    response = owner.client.post(
        f"{API}/auth/users/",
        {"email": "staffer@example.com", "password": PASSWORD, "role": "editor"},
        format="json",
    )
    login = APIClient().post(
        f"{API}/auth/login/", {"email": "staffer@example.com", "password": PASSWORD}
    )

    # then
    assert response.status_code == 201, response.content
    assert "password" not in response.json()["data"]
    assert login.status_code == 200
    assert login.json()["data"]["user"]["role"] == "editor"
