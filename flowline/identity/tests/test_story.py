"""The foundation story, over HTTP as a client would walk it."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail

from flowline.core.testing.client import CommittingAPIClient as APIClient

API = "/api/v1"


def _link_param(message, name: str) -> str:
    url = re.search(r"https?://\S+", message.body).group(0)
    return parse_qs(urlparse(url).query)[name][0]


def _bearer(tokens: dict) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    return client


@pytest.mark.django_db
def test_register_verify_login_build_a_team_and_sign_out():
    anon = APIClient()

    # register, then verify the address from the emailed link
    response = anon.post(
        f"{API}/auth/register/",
        {
            "email": "founder@example.com",
            "password": "Sturdy-Pass-9981",
            "password_confirm": "Sturdy-Pass-9981",
            "first_name": "Fay",
            "account_name": "Fay Media",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["success"] is True
    verify_mail = mail.outbox[-1]
    assert verify_mail.to == ["founder@example.com"]
    response = anon.post(
        f"{API}/auth/verify-email/", {"token": _link_param(verify_mail, "token")}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["data"]["email_verified"] is True

    # log in with a Bearer token
    response = anon.post(
        f"{API}/auth/login/",
        {"email": "founder@example.com", "password": "Sturdy-Pass-9981"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()["data"]
    assert body["user"]["role"] == "owner"
    assert body["user"]["account"]["name"] == "Fay Media"
    assert body["tokens"]["access_expires_at"].endswith("Z")
    owner = _bearer(body["tokens"])
    owner_refresh = body["tokens"]["refresh"]
    me = owner.get(f"{API}/auth/me/").json()["data"]
    assert me["email"] == "founder@example.com" and me["email_verified"] is True

    # create a site and pick its sectors
    response = owner.post(
        f"{API}/auth/sites/",
        {"name": "Yoga Daily", "url": "https://yoga.example.com"},
        format="json",
    )
    assert response.status_code == 201, response.content
    site = response.json()["data"]
    response = owner.post(
        f"{API}/auth/sites/{site['id']}/select_sectors/",
        {
            "industry_slug": "health-fitness",
            "sector_slugs": ["yoga", "nutrition"],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert sorted(s["slug"] for s in response.json()["data"]) == ["nutrition", "yoga"]
    assert len(owner.get(f"{API}/auth/sites/{site['id']}/sectors/").json()["data"]) == 2

    # invite an editor, who accepts from the emailed link and logs in
    response = owner.post(
        f"{API}/auth/users/invite/", {"email": "ed@example.com", "role": "editor"}, format="json"
    )
    assert response.status_code == 201, response.content
    invitation_mail = mail.outbox[-1]
    assert invitation_mail.to == ["ed@example.com"]
    response = anon.post(
        f"{API}/auth/invitations/accept/",
        {
            "token": _link_param(invitation_mail, "token"),
            "password": "Editor-Pass-5521",
            "first_name": "Ed",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    response = anon.post(
        f"{API}/auth/login/",
        {"email": "ed@example.com", "password": "Editor-Pass-5521"},
        format="json",
    )
    editor = _bearer(response.json()["data"]["tokens"])
    assert response.json()["data"]["user"]["role"] == "editor"

    # the editor edits the site but cannot invite users
    response = editor.patch(
        f"{API}/auth/sites/{site['id']}/", {"voice": "Calm and warm"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["data"]["voice"] == "Calm and warm"
    response = editor.post(
        f"{API}/auth/users/invite/", {"email": "x@example.com", "role": "viewer"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"

    # a viewer reads but cannot write
    owner.post(
        f"{API}/auth/users/",
        {"email": "vic@example.com", "password": "Viewer-Pass-7781", "role": "viewer"},
        format="json",
    )
    response = anon.post(
        f"{API}/auth/login/",
        {"email": "vic@example.com", "password": "Viewer-Pass-7781"},
        format="json",
    )
    viewer = _bearer(response.json()["data"]["tokens"])
    assert viewer.get(f"{API}/auth/sites/{site['id']}/").status_code == 200
    response = viewer.patch(f"{API}/auth/sites/{site['id']}/", {"voice": "Loud"}, format="json")
    assert response.status_code == 403

    # refresh rotates: the new pair works, the old refresh token is dead
    response = anon.post(f"{API}/auth/refresh/", {"refresh": owner_refresh}, format="json")
    assert response.status_code == 200
    rotated = response.json()["data"]
    assert rotated["refresh"] != owner_refresh
    assert _bearer(rotated).get(f"{API}/auth/me/").status_code == 200
    assert (
        anon.post(f"{API}/auth/refresh/", {"refresh": owner_refresh}, format="json").status_code
        == 401
    )

    # logout revokes the refresh token
    assert (
        owner.post(
            f"{API}/auth/logout/", {"refresh": rotated["refresh"]}, format="json"
        ).status_code
        == 200
    )
    response = anon.post(f"{API}/auth/refresh/", {"refresh": rotated["refresh"]}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


@pytest.mark.django_db
def test_cookie_mode_sets_secure_cookies_and_demands_the_csrf_header(owner):
    browser = APIClient()
    response = browser.post(
        f"{API}/auth/login/",
        {
            "email": owner.user.email,
            "password": owner.password,
            "cookie": True,
        },
        format="json",
    )
    assert response.status_code == 200
    assert "access" not in response.json()["data"]["tokens"]
    access = response.cookies["access_token"]
    assert access["httponly"] and access["secure"] and access["samesite"] == "Strict"
    csrf = response.cookies["csrf_access_token"].value

    assert browser.get(f"{API}/auth/me/").status_code == 200
    response = browser.post(f"{API}/auth/sites/", {"name": "No CSRF"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    response = browser.post(
        f"{API}/auth/sites/", {"name": "With CSRF"}, format="json", HTTP_X_CSRF_TOKEN=csrf
    )
    assert response.status_code == 201

    # refresh from the cookie, then log out: cookies cleared, refresh dead
    response = browser.post(f"{API}/auth/refresh/", {}, format="json", HTTP_X_CSRF_TOKEN=csrf)
    assert response.status_code == 200
    csrf = response.cookies["csrf_access_token"].value
    old_refresh = response.cookies["refresh_token"].value
    response = browser.post(f"{API}/auth/logout/", {}, format="json", HTTP_X_CSRF_TOKEN=csrf)
    assert response.status_code == 200
    assert response.cookies["access_token"].value == ""
    assert (
        APIClient()
        .post(f"{API}/auth/refresh/", {"refresh": old_refresh}, format="json")
        .status_code
        == 401
    )
