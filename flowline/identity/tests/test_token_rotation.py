"""A signed-in session's refresh token: it rotates, each sign-in keeps its own session, and
logging out ends it."""

from datetime import datetime

import jwt
import pytest

from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity import tokens
from flowline.identity.tests.token_support import API, assert_refused, bearer, password_login


@pytest.mark.django_db
def test_login_returns_both_expiry_times(owner):
    # when
    pair = password_login(owner)

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
    old = password_login(owner)["refresh"]
    response = APIClient().post(f"{API}/auth/refresh/", {"refresh": old}, format="json")
    assert response.status_code == 200
    new = response.json()["data"]

    # when the old one is used again
    replay = APIClient().post(f"{API}/auth/refresh/", {"refresh": old}, format="json")

    # then it is refused and the new pair still works
    assert_refused(replay)
    assert bearer(new["access"]).get(f"{API}/auth/me/").status_code == 200
    assert (
        APIClient()
        .post(f"{API}/auth/refresh/", {"refresh": new["refresh"]}, format="json")
        .status_code
        == 200
    )


@pytest.mark.django_db
def test_a_sign_in_keeps_its_session_through_rotations_and_each_sign_in_has_its_own(owner):
    # given two sign-ins of the same user
    first, second = password_login(owner), password_login(owner)

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
    access = password_login(owner)["access"]
    response = APIClient().post(f"{API}/auth/refresh/", {"refresh": access}, format="json")

    # then
    assert_refused(response)


@pytest.mark.django_db
def test_refresh_token_is_dead_after_logout(owner):
    # given
    pair = password_login(owner)

    # when
    response = bearer(pair["access"]).post(
        f"{API}/auth/logout/", {"refresh": pair["refresh"]}, format="json"
    )

    # then
    assert response.status_code == 200
    replay = APIClient().post(f"{API}/auth/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert_refused(replay)


@pytest.mark.django_db
def test_revoking_reports_whether_this_call_revoked_the_refresh_token(owner):
    # given two requests that both parsed the same, still valid refresh token
    raw = tokens.issue_pair(user=owner.user, account_id=owner.account_id)["refresh"]
    first, second = tokens.parse_refresh(raw), tokens.parse_refresh(raw)

    # when both revoke it, as two racing rotations would
    results = [tokens.blacklist(first), tokens.blacklist(second)]

    # then only the first wins; the refresh view answers 401 to the other
    assert results == [True, False]
