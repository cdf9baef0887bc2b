"""Social login in the sandbox: the local OpenID Connect provider, mounted at
/sandbox/oidc/, signs in the sandbox identity through allauth's real clients."""

from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from flowline.core.testing.client import CommittingAPIClient
from flowline.sandbox.providers import SANDBOX_IDENTITY, SANDBOX_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("platform", ["google", "github"])
def test_the_sandbox_identity_signs_in(sandbox, platform):
    # given: a sign-in started, and the sandbox provider's page
    client = CommittingAPIClient()
    started = client.get(f"/api/v1/social/auth/{platform}/init/")
    assert started.status_code == 200, started.json()
    url = started.json()["data"]["authorization_url"]
    assert url.startswith(f"{sandbox}/sandbox/oidc/")
    assert "Password" in httpx.get(url).text

    # when: the person signs in there
    back = httpx.post(url, data={"username": SANDBOX_IDENTITY, "password": SANDBOX_PASSWORD})
    assert back.status_code == 302, back.text
    query = dict(parse_qsl(urlsplit(back.headers["location"]).query))
    signed_in = client.post("/api/v1/social/auth/callback/", query, format="json")

    # then
    assert signed_in.status_code == 200, signed_in.json()
    assert signed_in.json()["data"]["user"]["email"] == SANDBOX_IDENTITY


def test_a_wrong_password_at_the_sandbox_provider_signs_nobody_in(sandbox):
    started = CommittingAPIClient().get("/api/v1/social/auth/google/init/").json()["data"]
    refused = httpx.post(
        started["authorization_url"], data={"username": SANDBOX_IDENTITY, "password": "nope"}
    )
    assert refused.status_code == 401
