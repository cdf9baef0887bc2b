"""The steps of the OAuth dance the social login tests take (the `provider` fixture, a
running local provider, is in this folder's conftest)."""

from flowline.core.testing.client import CommittingAPIClient as APIClient

API = "/api/v1"
NEW = "nora@example.com"


def _start(client, platform="google", **params):
    response = client.get(f"{API}/social/auth/{platform}/init/", params)
    assert response.status_code == 200, response.content
    return response.json()["data"]


def _callback(client, code, state):
    return client.post(
        f"{API}/social/auth/callback/", {"code": code, "state": state}, format="json"
    )


def _dance(client, provider, email, platform="google"):
    """init, the provider's page, and the callback; the callback's response."""
    start = _start(client, platform)
    back = provider.authorize(start["authorization_url"], email=email)
    return _callback(client, back["code"], back["state"])


def _me(access: str):
    return APIClient().get(f"{API}/auth/me/", HTTP_AUTHORIZATION=f"Bearer {access}")
