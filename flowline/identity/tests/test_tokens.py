"""Access and refresh tokens: what is refused, what rotates, what dies."""

import time
from datetime import datetime

import jwt
import pytest
from django.conf import settings

from flowline.core.roles import Role
from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity import tokens
from flowline.identity.models import Membership
from flowline.identity.tests.factories import UserFactory
from flowline.sites.tests.factories import SiteFactory

API = "/api/v1"
ENVELOPE_KEYS = {"success", "error", "errors", "code", "request_id"}


def _bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def _claims(member) -> dict:
    """The claims of a real access token for `member`, to forge variants of."""
    access = tokens.issue_pair(user=member.user, account_id=member.account_id)["access"]
    return jwt.decode(access, options={"verify_signature": False})


def _signed(claims: dict, *, key: str | None = None, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key or settings.SIMPLE_JWT["SIGNING_KEY"], algorithm=algorithm)


def _login(member, **extra) -> dict:
    response = APIClient().post(
        f"{API}/auth/login/",
        {"email": member.user.email, "password": member.password, **extra},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()["data"]["tokens"]


def _assert_refused(response, code: str | None = None) -> None:
    assert response.status_code == 401, response.content
    body = response.json()
    assert set(body) >= ENVELOPE_KEYS
    assert body["success"] is False
    if code is not None:
        assert body["code"] == code


@pytest.mark.django_db
def test_token_rebuilt_with_the_real_key_works_so_forgeries_fail_for_their_change(owner):
    # given a token signed with the real key from real claims
    token = _signed(_claims(owner))

    # when it is used
    response = _bearer(token).get(f"{API}/auth/me/")

    # then it works, so the refusals below are about what was changed
    assert response.status_code == 200


@pytest.mark.django_db
def test_expired_access_token_is_rejected(owner):
    # given a correctly signed access token that expired a minute ago
    claims = _claims(owner) | {"exp": int(time.time()) - 60, "iat": int(time.time()) - 1000}

    # when it is used
    response = _bearer(_signed(claims)).get(f"{API}/auth/me/")

    # then
    _assert_refused(response, "token_not_valid")


@pytest.mark.django_db
def test_tampered_signature_is_rejected(owner):
    # given a real token whose signature was altered
    access = owner.client._credentials["HTTP_AUTHORIZATION"].split()[1]
    header, payload, signature = access.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]

    # when it is used
    response = _bearer(f"{header}.{payload}.{flipped}").get(f"{API}/auth/me/")

    # then
    _assert_refused(response, "token_not_valid")


@pytest.mark.django_db
def test_tampered_claims_with_the_old_signature_are_rejected(owner, other_owner):
    # given a real token whose payload now names another account, signature unchanged
    access = tokens.issue_pair(user=owner.user, account_id=owner.account_id)["access"]
    header, _, signature = access.split(".")
    forged_payload = _signed(_claims(owner) | {"account_id": other_owner.account_id}).split(".")[1]

    # when it is used
    response = _bearer(f"{header}.{forged_payload}.{signature}").get(f"{API}/auth/me/")

    # then
    _assert_refused(response, "token_not_valid")


@pytest.mark.django_db
def test_alg_none_token_is_rejected(owner):
    # given an unsigned token with valid claims
    token = jwt.encode(_claims(owner), None, algorithm="none")

    # when it is used
    response = _bearer(token).get(f"{API}/auth/me/")

    # then
    _assert_refused(response, "token_not_valid")


@pytest.mark.django_db
def test_token_signed_with_a_wrong_key_is_rejected(owner):
    # given valid claims signed with a key that is not Flowline's
    token = _signed(_claims(owner), key="not-the-signing-key-" * 3)

    # when it is used
    response = _bearer(token).get(f"{API}/auth/me/")

    # then
    _assert_refused(response, "token_not_valid")


@pytest.mark.django_db
def test_refresh_token_used_as_access_token_is_rejected(owner):
    # given a refresh token
    refresh = tokens.issue_pair(user=owner.user, account_id=owner.account_id)["refresh"]

    # when it is presented as a Bearer access token
    response = _bearer(refresh).get(f"{API}/auth/me/")

    # then
    _assert_refused(response, "token_not_valid")


@pytest.mark.django_db
def test_garbage_bearer_token_is_rejected(db):
    # when
    response = _bearer("not.a.jwt").get(f"{API}/auth/me/")

    # then
    _assert_refused(response, "token_not_valid")


@pytest.mark.django_db
def test_login_returns_both_expiry_times(owner):
    # when
    pair = _login(owner)

    # then the expiries are UTC instants, the refresh one later than the access one
    access_expires = datetime.fromisoformat(pair["access_expires_at"].replace("Z", "+00:00"))
    refresh_expires = datetime.fromisoformat(pair["refresh_expires_at"].replace("Z", "+00:00"))
    assert pair["access_expires_at"].endswith("Z") and pair["refresh_expires_at"].endswith("Z")
    assert access_expires < refresh_expires
    assert (
        int(access_expires.timestamp())
        == jwt.decode(pair["access"], options={"verify_signature": False})["exp"]
    )


@pytest.mark.django_db
def test_rotated_refresh_token_is_rejected(owner):
    # given a refresh token that has been rotated once
    old = _login(owner)["refresh"]
    response = APIClient().post(f"{API}/auth/refresh/", {"refresh": old}, format="json")
    assert response.status_code == 200
    new = response.json()["data"]

    # when the old one is used again
    replay = APIClient().post(f"{API}/auth/refresh/", {"refresh": old}, format="json")

    # then it is refused and the new pair still works
    _assert_refused(replay, "token_not_valid")
    assert _bearer(new["access"]).get(f"{API}/auth/me/").status_code == 200
    assert (
        APIClient()
        .post(f"{API}/auth/refresh/", {"refresh": new["refresh"]}, format="json")
        .status_code
        == 200
    )


@pytest.mark.django_db
def test_a_sign_in_keeps_its_session_through_rotations_and_each_sign_in_has_its_own(owner):
    # given two sign-ins of the same user
    first, second = _login(owner), _login(owner)

    # when the first one rotates its tokens
    response = APIClient().post(
        f"{API}/auth/refresh/", {"refresh": first["refresh"]}, format="json"
    )
    rotated = response.json()["data"]

    # then the new pair carries the first sign-in's session (logging out with it closes
    # the sockets the older access token opened), and the second sign-in has another
    def session(raw: str) -> str:
        return jwt.decode(raw, options={"verify_signature": False})[tokens.SESSION_CLAIM]

    assert session(first["access"]) == session(first["refresh"])
    assert session(rotated["access"]) == session(rotated["refresh"]) == session(first["access"])
    assert session(second["access"]) != session(first["access"])


@pytest.mark.django_db
def test_access_token_is_not_accepted_as_refresh_token(owner):
    # when
    access = _login(owner)["access"]
    response = APIClient().post(f"{API}/auth/refresh/", {"refresh": access}, format="json")

    # then
    _assert_refused(response, "token_not_valid")


@pytest.mark.django_db
def test_refresh_token_is_dead_after_logout(owner):
    # given
    pair = _login(owner)

    # when
    response = _bearer(pair["access"]).post(
        f"{API}/auth/logout/", {"refresh": pair["refresh"]}, format="json"
    )

    # then
    assert response.status_code == 200
    replay = APIClient().post(f"{API}/auth/refresh/", {"refresh": pair["refresh"]}, format="json")
    _assert_refused(replay, "token_not_valid")


@pytest.mark.django_db
def test_password_change_kills_old_access_and_refresh_tokens(owner):
    # given a pair issued before the change, and a session that changes the password
    before = _login(owner)
    session = _login(owner)

    # when
    response = _bearer(session["access"]).post(
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
    _assert_refused(_bearer(before["access"]).get(f"{API}/auth/me/"), "token_not_valid")
    _assert_refused(_bearer(session["access"]).get(f"{API}/auth/me/"), "token_not_valid")
    refresh = APIClient().post(f"{API}/auth/refresh/", {"refresh": before["refresh"]})
    _assert_refused(refresh, "token_not_valid")
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
    pair = _login(editor)
    assert _bearer(pair["access"]).get(f"{API}/auth/me/").status_code == 200

    # when the owner deactivates the membership
    response = owner.client.post(f"{API}/auth/users/{editor.user.id}/deactivate/")
    assert response.status_code == 200, response.content

    # then neither token works any more
    _assert_refused(_bearer(pair["access"]).get(f"{API}/auth/me/"), "token_not_valid")
    refresh = APIClient().post(f"{API}/auth/refresh/", {"refresh": pair["refresh"]})
    _assert_refused(refresh, "token_not_valid")


@pytest.mark.django_db
def test_deactivated_user_cannot_use_tokens_or_log_in(owner):
    # given
    pair = _login(owner)

    # when the user is deactivated (by staff)
    owner.user.is_active = False
    owner.user.save(update_fields=["is_active"])

    # then
    _assert_refused(_bearer(pair["access"]).get(f"{API}/auth/me/"), "token_not_valid")
    login = APIClient().post(
        f"{API}/auth/login/", {"email": owner.user.email, "password": owner.password}
    )
    _assert_refused(login, "invalid_credentials")


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
    switched = _bearer(data["tokens"]["access"])
    assert switched.get(f"{API}/auth/sites/{other_site.id}/").status_code == 200
    names = [site["name"] for site in switched.get(f"{API}/auth/sites/").json()["results"]]
    assert names == ["Other's site"]
    # and the next login lands in the account used last
    relogin = jwt.decode(_login(owner)["access"], options={"verify_signature": False})
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
    _login(owner)

    # then
    owner.user.refresh_from_db()
    assert owner.user.last_login is not None


@pytest.mark.django_db
def test_revoking_reports_whether_this_call_revoked_the_refresh_token(owner):
    # given two requests that both parsed the same, still valid refresh token
    raw = tokens.issue_pair(user=owner.user, account_id=owner.account_id)["refresh"]
    first, second = tokens.parse_refresh(raw), tokens.parse_refresh(raw)

    # when both revoke it, as two racing rotations would
    results = [tokens.blacklist(first), tokens.blacklist(second)]

    # then only the first wins; the refresh view answers 401 to the other
    assert results == [True, False]
