"""What ends or moves a user's tokens besides logging out: a password change, a deactivated
membership or user, switching account; and who may sign in at all."""

import jwt
import pytest

from flowline.core.roles import Role
from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity.models import Membership
from flowline.identity.tests.factories import UserFactory
from flowline.identity.tests.token_support import API, assert_refused, bearer, password_login
from flowline.sites.tests.factories import SiteFactory


@pytest.mark.django_db
def test_password_change_kills_old_access_and_refresh_tokens(owner):
    # given a pair issued before the change, and a session that changes the password
    before = password_login(owner)
    session = password_login(owner)

    # when
    response = bearer(session["access"]).post(
        f"{API}/auth/change-password/",
        {
            "old_password": owner.password,
            "new_password": "Brand-New-Secret-77",
            "new_password_confirm": "Brand-New-Secret-77",
        },
        format="json",
    )

    # then every token minted before is dead, and the new password signs in
    assert response.status_code == 200, response.content
    assert_refused(bearer(before["access"]).get(f"{API}/auth/me/"))
    assert_refused(bearer(session["access"]).get(f"{API}/auth/me/"))
    refresh = APIClient().post(f"{API}/auth/refresh/", {"refresh": before["refresh"]})
    assert_refused(refresh)
    relogin = APIClient().post(
        f"{API}/auth/login/",
        {"email": owner.user.email, "password": "Brand-New-Secret-77"},
        format="json",
    )
    assert relogin.status_code == 200


@pytest.mark.django_db
def test_change_password_with_a_wrong_old_password_is_400_and_keeps_tokens(owner):
    # when
    response = owner.client.post(
        f"{API}/auth/change-password/",
        {
            "old_password": "not-it",
            "new_password": "Brand-New-Secret-77",
            "new_password_confirm": "Brand-New-Secret-77",
        },
        format="json",
    )

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_password"
    assert owner.client.get(f"{API}/auth/me/").status_code == 200


@pytest.mark.django_db
def test_deactivated_membership_stops_the_token(owner, member_factory):
    # given an editor with a valid token and refresh token
    editor = member_factory(owner, Role.EDITOR)
    pair = password_login(editor)
    assert bearer(pair["access"]).get(f"{API}/auth/me/").status_code == 200

    # when the owner deactivates the membership
    response = owner.client.post(f"{API}/auth/users/{editor.user.id}/deactivate/")
    assert response.status_code == 200, response.content

    # then neither token works any more
    assert_refused(bearer(pair["access"]).get(f"{API}/auth/me/"))
    refresh = APIClient().post(f"{API}/auth/refresh/", {"refresh": pair["refresh"]})
    assert_refused(refresh)


@pytest.mark.django_db
def test_deactivated_user_cannot_use_tokens_or_log_in(owner):
    # given
    pair = password_login(owner)

    # when the user is deactivated (by staff)
    owner.user.is_active = False
    owner.user.save(update_fields=["is_active"])

    # then
    assert_refused(bearer(pair["access"]).get(f"{API}/auth/me/"))
    login = APIClient().post(
        f"{API}/auth/login/", {"email": owner.user.email, "password": owner.password}
    )
    assert_refused(login, "invalid_credentials")


@pytest.mark.django_db
def test_switch_account_moves_the_token_into_the_other_account(owner, other_owner):
    # given the owner is also an editor of another account that has a site
    Membership.unscoped.create(account=other_owner.account, user=owner.user, role=Role.EDITOR)
    other_site = SiteFactory(account=other_owner.account, name="Other's site")
    assert owner.client.get(f"{API}/auth/sites/{other_site.id}/").status_code == 404

    # when
    response = owner.client.post(
        f"{API}/auth/switch-account/", {"account_id": other_owner.account_id}, format="json"
    )

    # then the new token carries the other account and sees its data with the editor role
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["user"]["account"]["id"] == other_owner.account_id
    assert data["user"]["role"] == "editor"
    claims = jwt.decode(data["tokens"]["access"], options={"verify_signature": False})
    assert claims["account_id"] == other_owner.account_id
    switched = bearer(data["tokens"]["access"])
    assert switched.get(f"{API}/auth/sites/{other_site.id}/").status_code == 200
    names = [site["name"] for site in switched.get(f"{API}/auth/sites/").json()["results"]]
    assert names == ["Other's site"]
    # and the next login lands in the account used last
    relogin = jwt.decode(password_login(owner)["access"], options={"verify_signature": False})
    assert relogin["account_id"] == other_owner.account_id


@pytest.mark.django_db
def test_switch_to_an_account_the_user_is_not_a_member_of_is_404(owner, other_owner):
    # when
    response = owner.client.post(
        f"{API}/auth/switch-account/", {"account_id": other_owner.account_id}, format="json"
    )

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_switch_to_an_account_where_membership_is_inactive_is_404(owner, other_owner):
    # given
    Membership.unscoped.create(
        account=other_owner.account, user=owner.user, role=Role.ADMIN, is_active=False
    )

    # when
    response = owner.client.post(
        f"{API}/auth/switch-account/", {"account_id": other_owner.account_id}, format="json"
    )

    # then
    assert response.status_code == 404


@pytest.mark.django_db
def test_user_without_any_account_cannot_log_in(db):
    # given a user whose only membership is gone
    user = UserFactory()

    # when
    response = APIClient().post(
        f"{API}/auth/login/", {"email": user.email, "password": "Correct-Horse-42-battery"}
    )

    # then
    assert response.status_code == 403
    assert response.json()["code"] == "no_account"


@pytest.mark.django_db
def test_login_records_last_login(owner):
    # given
    assert owner.user.last_login is None

    # when
    password_login(owner)

    # then
    owner.user.refresh_from_db()
    assert owner.user.last_login is not None
