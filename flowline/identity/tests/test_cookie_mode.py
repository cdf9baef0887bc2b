"""Browser mode: the token pair in HttpOnly cookies, CSRF double-submit on unsafe methods."""

import pytest

from flowline.core.testing.client import CommittingAPIClient as APIClient

API = "/api/v1"


def _browser(member):
    """A client logged in with cookies, and the CSRF value the frontend would echo."""
    client = APIClient()
    response = client.post(
        f"{API}/auth/login/",
        {"email": member.user.email, "password": member.password, "cookie": True},
        format="json",
    )
    assert response.status_code == 200, response.content
    return client, response


@pytest.mark.django_db
def test_cookie_login_sets_httponly_secure_strict_cookies_and_no_tokens_in_body(owner):
    # when
    _, response = _browser(owner)

    # then both tokens are HttpOnly, Secure, SameSite=Strict; the CSRF cookie is readable
    for name in ("access_token", "refresh_token"):
        cookie = response.cookies[name]
        assert cookie["httponly"] is True, name
        assert cookie["secure"] is True, name
        assert cookie["samesite"] == "Strict", name
    csrf = response.cookies["csrf_access_token"]
    assert not csrf["httponly"] and csrf["secure"] and csrf["samesite"] == "Strict"
    # sent to the auth paths of /api/v1/ and of Elinara's base, never to the console
    assert response.cookies["refresh_token"]["path"] == "/api/"
    tokens = response.json()["data"]["tokens"]
    assert set(tokens) == {"access_expires_at", "refresh_expires_at"}
    assert response.cookies["access_token"].value not in response.content.decode()
    assert response.cookies["refresh_token"].value not in response.content.decode()


@pytest.mark.django_db
def test_cookie_mode_get_works_without_the_csrf_header(owner):
    # given
    browser, _ = _browser(owner)

    # when
    response = browser.get(f"{API}/auth/sites/")

    # then
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_cookie_mode_unsafe_method_without_csrf_header_is_403(owner, method):
    # given
    browser, _ = _browser(owner)

    # when
    response = getattr(browser, method)(f"{API}/auth/profile/", {"first_name": "X"}, format="json")

    # then
    assert response.status_code == 403
    body = response.json()
    assert body["success"] is False and body["code"] == "csrf_failed" and body["request_id"]


@pytest.mark.django_db
def test_cookie_mode_wrong_csrf_token_is_403(owner):
    # given
    browser, _ = _browser(owner)

    # when
    response = browser.patch(
        f"{API}/auth/profile/", {"first_name": "X"}, format="json", HTTP_X_CSRF_TOKEN="guessed"
    )

    # then
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


@pytest.mark.django_db
def test_cookie_mode_csrf_header_without_csrf_cookie_is_403(owner):
    # given a browser that lost (or never had) the CSRF cookie, sending an empty header
    browser, _ = _browser(owner)
    del browser.cookies["csrf_access_token"]

    # when
    response = browser.patch(
        f"{API}/auth/profile/", {"first_name": "X"}, format="json", HTTP_X_CSRF_TOKEN=""
    )

    # then
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


@pytest.mark.django_db
def test_cookie_mode_matching_csrf_token_allows_writes(owner):
    # given
    browser, login = _browser(owner)
    csrf = login.cookies["csrf_access_token"].value

    # when
    response = browser.patch(
        f"{API}/auth/profile/", {"first_name": "Cookie"}, format="json", HTTP_X_CSRF_TOKEN=csrf
    )

    # then
    assert response.status_code == 200, response.content
    assert response.json()["data"]["first_name"] == "Cookie"


@pytest.mark.django_db
def test_cookie_refresh_needs_csrf_and_rotates_the_cookies(owner):
    # given
    browser, login = _browser(owner)
    csrf = login.cookies["csrf_access_token"].value
    old_refresh = login.cookies["refresh_token"].value

    # when refreshing without the header, then with it
    refused = browser.post(f"{API}/auth/refresh/", {}, format="json")
    response = browser.post(f"{API}/auth/refresh/", {}, format="json", HTTP_X_CSRF_TOKEN=csrf)

    # then
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    assert response.status_code == 200, response.content
    assert set(response.json()["data"]) == {"access_expires_at", "refresh_expires_at"}
    new_refresh = response.cookies["refresh_token"].value
    assert new_refresh and new_refresh != old_refresh
    assert response.cookies["refresh_token"]["httponly"]
    assert browser.get(f"{API}/auth/me/").status_code == 200
    # the rotated cookie is dead
    replay = APIClient().post(f"{API}/auth/refresh/", {"refresh": old_refresh}, format="json")
    assert replay.status_code == 401


@pytest.mark.django_db
def test_cookie_refresh_without_a_refresh_cookie_is_401(db):
    # when
    response = APIClient().post(f"{API}/auth/refresh/", {}, format="json")

    # then
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_bearer_header_needs_no_csrf_token_even_with_cookies_present(owner):
    # given a client that holds auth cookies but sends a Bearer token
    browser, _ = _browser(owner)
    browser.credentials(HTTP_AUTHORIZATION=owner.client._credentials["HTTP_AUTHORIZATION"])

    # when
    response = browser.patch(f"{API}/auth/profile/", {"first_name": "Bearer"}, format="json")

    # then the header mode applies: a cross-site page cannot set that header
    assert response.status_code == 200


@pytest.mark.django_db
def test_cookie_logout_clears_cookies_and_kills_the_refresh_token(owner):
    # given
    browser, login = _browser(owner)
    csrf = login.cookies["csrf_access_token"].value
    refresh = login.cookies["refresh_token"].value

    # when
    response = browser.post(f"{API}/auth/logout/", {}, format="json", HTTP_X_CSRF_TOKEN=csrf)

    # then
    assert response.status_code == 200
    for name in ("access_token", "refresh_token", "csrf_access_token"):
        assert response.cookies[name].value == ""
    replay = APIClient().post(f"{API}/auth/refresh/", {"refresh": refresh}, format="json")
    assert replay.status_code == 401


@pytest.mark.django_db
def test_switch_account_in_cookie_mode_answers_with_cookies(owner, other_owner):
    # given
    from flowline.identity.models import Membership

    Membership.unscoped.create(account=other_owner.account, user=owner.user, role="viewer")
    browser, login = _browser(owner)
    csrf = login.cookies["csrf_access_token"].value

    # when
    response = browser.post(
        f"{API}/auth/switch-account/",
        {"account_id": other_owner.account_id},
        format="json",
        HTTP_X_CSRF_TOKEN=csrf,
    )

    # then
    assert response.status_code == 200, response.content
    assert "access" not in response.json()["data"]["tokens"]
    assert response.cookies["access_token"]["httponly"]
    me = browser.get(f"{API}/auth/me/").json()["data"]
    assert me["account"]["id"] == other_owner.account_id
