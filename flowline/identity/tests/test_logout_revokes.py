"""Logging out ends a sign-in at once: its access tokens are refused from the next
request on, although they have not expired, while the user's other sign-ins go on."""

import pytest

from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity.tests.token_support import API, assert_refused, bearer, password_login

pytestmark = pytest.mark.django_db


def test_logout_refuses_the_sessions_access_token_on_the_next_request(owner):
    # given a signed-in session whose access token has been accepted (and so is cached
    # as verified by this process)
    pair = password_login(owner)
    assert bearer(pair["access"]).get(f"{API}/auth/me/").status_code == 200

    # when it logs out
    response = bearer(pair["access"]).post(
        f"{API}/auth/logout/", {"refresh": pair["refresh"]}, format="json"
    )
    assert response.status_code == 200, response.content

    # then the same, unexpired access token is refused
    assert_refused(bearer(pair["access"]).get(f"{API}/auth/me/"))
    assert_refused(bearer(pair["access"]).get(f"{API}/auth/sites/"))


def test_logout_with_only_the_access_token_ends_its_session(owner):
    # given
    pair = password_login(owner)

    # when the client logs out without sending its refresh token
    assert bearer(pair["access"]).post(f"{API}/auth/logout/", {}, format="json").status_code == 200

    # then both of the session's tokens are dead
    assert_refused(bearer(pair["access"]).get(f"{API}/auth/me/"))
    replay = APIClient().post(f"{API}/auth/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert replay.status_code == 401


def test_a_rotated_access_token_of_a_logged_out_session_is_refused_too(owner):
    # given a session that refreshed once (same sign-in, new pair)
    first = password_login(owner)
    rotated = APIClient().post(f"{API}/auth/refresh/", {"refresh": first["refresh"]}, format="json")
    second = rotated.json()["data"]

    # when it logs out with its newest refresh token
    bearer(second["access"]).post(f"{API}/auth/logout/", {"refresh": second["refresh"]})

    # then the access tokens of both pairs are refused
    assert_refused(bearer(first["access"]).get(f"{API}/auth/me/"))
    assert_refused(bearer(second["access"]).get(f"{API}/auth/me/"))


def test_other_sessions_of_the_user_keep_working_after_a_logout(owner):
    # given two sign-ins of one user (a laptop and a phone)
    laptop, phone = password_login(owner), password_login(owner)

    # when the laptop logs out
    bearer(laptop["access"]).post(f"{API}/auth/logout/", {"refresh": laptop["refresh"]})

    # then the phone's tokens still work
    assert bearer(phone["access"]).get(f"{API}/auth/me/").status_code == 200
    refreshed = APIClient().post(f"{API}/auth/refresh/", {"refresh": phone["refresh"]})
    assert refreshed.status_code == 200, refreshed.content
    assert_refused(bearer(laptop["access"]).get(f"{API}/auth/me/"))


def test_logout_everywhere_refuses_every_session_of_the_user(owner, other_owner):
    # given two sign-ins of one user, and another user signed in
    laptop, phone, other = password_login(owner), password_login(owner), password_login(other_owner)

    # when the user logs out everywhere from the laptop
    response = bearer(laptop["access"]).post(f"{API}/auth/logout-everywhere/")
    assert response.status_code == 200, response.content

    # then every access and refresh token of the user is refused
    for pair in (laptop, phone):
        assert_refused(bearer(pair["access"]).get(f"{API}/auth/me/"))
        replay = APIClient().post(f"{API}/auth/refresh/", {"refresh": pair["refresh"]})
        assert replay.status_code == 401
    # and the other user is not affected
    assert bearer(other["access"]).get(f"{API}/auth/me/").status_code == 200
    # and signing in again works
    assert bearer(password_login(owner)["access"]).get(f"{API}/auth/me/").status_code == 200


def test_logout_everywhere_needs_a_signed_in_user():
    # when
    response = APIClient().post(f"{API}/auth/logout-everywhere/")

    # then
    assert response.status_code == 401


def test_cookie_logout_refuses_the_access_cookie_on_the_next_request(owner):
    # given a browser signed in by cookies
    browser = APIClient()
    login = browser.post(
        f"{API}/auth/login/",
        {"email": owner.user.email, "password": owner.password, "cookie": True},
        format="json",
    )
    access = login.cookies["access_token"].value
    csrf = login.cookies["csrf_access_token"].value

    # when it logs out
    response = browser.post(f"{API}/auth/logout/", {}, format="json", HTTP_X_CSRF_TOKEN=csrf)
    assert response.status_code == 200

    # then the access cookie, replayed, is refused
    replay = APIClient()
    replay.cookies["access_token"] = access
    replay.cookies["csrf_access_token"] = csrf
    assert_refused(replay.get(f"{API}/auth/me/", HTTP_X_CSRF_TOKEN=csrf))


def test_the_consoles_logout_page_ends_the_access_cookies_session(owner):
    # given a console browser signed in by its access cookie
    from flowline.core.testing import pages

    browser = pages.page_client(owner)
    access = browser.cookies["access_token"].value
    assert browser.get("/").status_code == 200

    # when it logs out through the page (without the API's logout first)
    response = browser.post("/logout/", {"csrf_token": pages.CSRF})
    assert response.status_code == 302

    # then the access token, replayed, no longer opens the API or the pages
    assert_refused(bearer(access).get(f"{API}/auth/me/"))
    replay = pages.page_client(owner)
    replay.cookies["access_token"] = access
    assert replay.get("/").status_code == 401
