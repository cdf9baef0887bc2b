"""Connecting a drive: OAuth code flow with signed state and PKCE, against the fakes."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import override_settings

from flowline.drives.models import CloudConnection
from flowline.sandbox.drives import fake_google, fake_microsoft

API = "/api/v1"


def _consent(authorization_url: str) -> dict:
    """Play the user's consent at the fake: follow to the redirect URI's code and state."""
    answer = httpx.get(authorization_url, follow_redirects=False, timeout=5)
    assert answer.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["Location"]).query).items()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("provider", "fake_name", "email"),
    [
        ("google_drive", "fake_google_drive", fake_google.EMAIL),
        ("onedrive", "fake_onedrive", fake_microsoft.EMAIL),
    ],
)
def test_member_connects_a_drive_with_state_and_pkce(request, owner, provider, fake_name, email):
    # given
    fake = request.getfixturevalue(fake_name)

    # when
    init = owner.client.post(f"{API}/drive/connect/{provider}/init/")
    url = init.json()["data"]["authorization_url"]
    returned = _consent(url)
    done = owner.client.post(f"{API}/drive/connect/callback/", returned, format="json")

    # then
    assert init.status_code == 200, init.content
    sent = parse_qs(urlsplit(url).query)
    assert sent["code_challenge_method"] == ["S256"]
    assert "code_verifier" not in sent  # the verifier never leaves the server
    assert done.status_code == 201, done.content
    body = done.json()["data"]
    assert body["provider"] == provider and body["account_email"] == email
    assert "access_token" not in body and "refresh_token" not in body
    form = parse_qs(fake.requests[-2]["body"].decode())  # the token exchange
    assert form["grant_type"] == ["authorization_code"] and form["code_verifier"]
    connection = CloudConnection.unscoped.get(user=owner.user, provider=provider)
    assert connection.access_token in fake.access_tokens
    listed = owner.client.get(f"{API}/drive/connections/").json()["results"]
    assert [row["provider"] for row in listed] == [provider]


@pytest.mark.django_db
def test_forged_state_is_refused_before_calling_the_provider(owner, fake_google_drive):
    # given
    init = owner.client.post(f"{API}/drive/connect/google_drive/init/").json()["data"]
    returned = _consent(init["authorization_url"])
    calls_before = len(fake_google_drive.requests)

    # when
    forged = owner.client.post(
        f"{API}/drive/connect/callback/",
        {"code": returned["code"], "state": returned["state"][:-3] + "AAA"},
        format="json",
    )

    # then
    assert forged.status_code == 400
    assert forged.json()["code"] == "oauth_state_invalid"
    assert len(fake_google_drive.requests) == calls_before
    assert not CloudConnection.unscoped.filter(user=owner.user).exists()


@pytest.mark.django_db
def test_replayed_state_is_refused(owner, fake_google_drive):
    # given: a connect that went through
    init = owner.client.post(f"{API}/drive/connect/google_drive/init/").json()["data"]
    returned = _consent(init["authorization_url"])
    assert (
        owner.client.post(f"{API}/drive/connect/callback/", returned, format="json").status_code
        == 201
    )

    # when
    replay = owner.client.post(f"{API}/drive/connect/callback/", returned, format="json")

    # then
    assert replay.status_code == 400
    assert replay.json()["code"] == "oauth_state_invalid"


@pytest.mark.django_db
def test_state_of_another_user_is_refused(owner, member_factory, fake_google_drive):
    # given: the owner started connecting; a colleague gets hold of the callback
    init = owner.client.post(f"{API}/drive/connect/google_drive/init/").json()["data"]
    returned = _consent(init["authorization_url"])
    colleague = member_factory(owner)

    # when
    stolen = colleague.client.get(f"{API}/drive/connect/callback/", returned)

    # then
    assert stolen.status_code == 400
    assert stolen.json()["code"] == "oauth_state_invalid"
    assert not CloudConnection.unscoped.exists()


@pytest.mark.django_db
def test_disconnect_removes_the_connection(owner, fake_google_drive):
    # given
    from flowline.drives.testing.fixtures import connect_google_drive

    connection = connect_google_drive(owner, fake_google_drive)

    # when
    response = owner.client.delete(f"{API}/drive/connections/{connection.id}/")

    # then
    assert response.status_code == 200
    assert not CloudConnection.unscoped.filter(pk=connection.pk).exists()
    listing = owner.client.get(f"{API}/drive/files/")
    assert listing.status_code == 400 and listing.json()["code"] == "drive_not_connected"


@pytest.mark.django_db
def test_connecting_while_the_shared_cache_is_away_is_503_not_500(owner, fake_google_drive):
    # given: the PKCE verifier must be kept where the callback (maybe on another node)
    # finds it, and nothing listens where the cache should be
    dead = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    owner.client.raise_request_exception = False

    # when
    with override_settings(CACHES=dead):
        response = owner.client.post(f"{API}/drive/connect/google_drive/init/")

    # then: the throttle let it through; the view itself cannot work without the cache
    assert response.status_code == 503, response.content
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"] == "5"


@pytest.mark.django_db
def test_a_cancelled_consent_is_reported_and_spends_the_state(owner, fake_google_drive):
    # given: the person pressed Cancel: the provider sends error=access_denied, no code
    init = owner.client.post(f"{API}/drive/connect/google_drive/init/").json()["data"]
    back = {"error": "access_denied", "state": init["state"]}

    # when
    cancelled = owner.client.get(f"{API}/drive/connect/callback/", back)

    # then: a clear refusal, not a missing code; nothing stored, and the state is spent
    assert cancelled.status_code == 400, cancelled.json()
    assert cancelled.json()["code"] == "drive_connection_cancelled"
    assert cancelled.json()["error"] == "Connecting Google Drive was cancelled."
    assert not CloudConnection.unscoped.exists()
    again = owner.client.get(f"{API}/drive/connect/callback/", back)
    assert again.json()["code"] == "oauth_state_invalid"


@pytest.mark.django_db
def test_another_provider_error_and_a_missing_code_are_refused(owner, fake_google_drive):
    init = owner.client.post(f"{API}/drive/connect/google_drive/init/").json()["data"]
    refused = owner.client.post(
        f"{API}/drive/connect/callback/",
        {"error": "server_error", "error_description": "Try later", "state": init["state"]},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "drive_connection_refused"
    assert refused.json()["error"] == (
        "Google Drive refused the connection (server_error): Try later."
    )
    missing = owner.client.post(
        f"{API}/drive/connect/callback/", {"state": init["state"]}, format="json"
    )
    assert missing.status_code == 400 and "code" in missing.json()["errors"]
