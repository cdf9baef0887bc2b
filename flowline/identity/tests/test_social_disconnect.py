"""`auth/disconnect/{provider}/` (004): unlink a sign-in provider, never the last way in."""

import pytest
from allauth.socialaccount.models import SocialAccount

from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity.models import User
from flowline.identity.social_login import services
from flowline.sandbox.oidc.oidc_provider import (
    ProviderUser,
    local_oidc_provider,
    social_sign_in,
)

API = "/api/v1"
EMAIL = "sam@example.com"


@pytest.fixture
def provider(settings):
    with local_oidc_provider(users=[ProviderUser(EMAIL)]) as running:
        running.configure(settings)
        yield running


def _client(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


@pytest.mark.django_db
def test_a_user_with_a_password_disconnects_a_provider(provider, owner):
    provider.users[owner.user.email] = ProviderUser(owner.user.email)
    social_sign_in(APIClient(), provider, "google", email=owner.user.email)

    response = owner.client.post(f"{API}/auth/disconnect/google/")

    assert response.status_code == 200, response.content
    assert response.json()["data"] == {"provider": "google", "connected": []}
    assert not SocialAccount.objects.exists()
    # and the password still signs them in
    login = APIClient().post(
        f"{API}/auth/login/",
        {"email": owner.user.email, "password": owner.password},
        format="json",
    )
    assert login.status_code == 200


@pytest.mark.django_db
def test_the_last_way_to_sign_in_cannot_be_disconnected(provider):
    # given a user who signed up with Google and has no password
    tokens = social_sign_in(APIClient(), provider, "google", email=EMAIL)["tokens"]
    client = _client(tokens["access"])

    response = client.post(f"{API}/auth/disconnect/google/")

    assert response.status_code == 409 and response.json()["code"] == "last_login_method"
    assert SocialAccount.objects.filter(provider="google").exists()
    # and their tokens still work
    assert client.get(f"{API}/auth/me/").status_code == 200


@pytest.mark.django_db
def test_one_of_two_providers_can_go_then_the_last_stays(provider):
    tokens = social_sign_in(APIClient(), provider, "google", email=EMAIL)["tokens"]
    social_sign_in(APIClient(), provider, "github", email=EMAIL)  # linked by verified email
    client = _client(tokens["access"])

    connections = client.get(f"{API}/social/auth/connections/").json()["data"]
    first = client.post(f"{API}/auth/disconnect/github/")
    last = client.post(f"{API}/auth/disconnect/google/")

    assert [c["provider"] for c in connections] == ["google", "github"]
    assert first.status_code == 200 and first.json()["data"]["connected"] == ["google"]
    assert last.status_code == 409
    assert list(SocialAccount.objects.values_list("provider", flat=True)) == ["google"]


@pytest.mark.django_db
def test_setting_a_password_allows_disconnecting_the_last_provider(provider):
    social_sign_in(APIClient(), provider, "google", email=EMAIL)
    user = User.objects.get(email=EMAIL)
    user.set_password("A-new-password-77")
    user.save()

    remaining = services.social_account_disconnect(user=user, provider="google")

    assert remaining == [] and not SocialAccount.objects.exists()


@pytest.mark.django_db
def test_disconnecting_what_is_not_connected_is_404(owner):
    not_linked = owner.client.post(f"{API}/auth/disconnect/github/")
    unknown = owner.client.post(f"{API}/auth/disconnect/myspace/")

    assert not_linked.status_code == 404 and not_linked.json()["code"] == "social_not_connected"
    assert unknown.status_code == 404 and unknown.json()["code"] == "social_provider_unknown"


@pytest.mark.django_db
def test_disconnect_needs_a_signed_in_user(db):
    response = APIClient().post(f"{API}/auth/disconnect/google/")

    assert response.status_code == 401


@pytest.mark.django_db
def test_another_users_link_is_not_touched(provider, owner, other_owner):
    provider.users[other_owner.user.email] = ProviderUser(other_owner.user.email)
    social_sign_in(APIClient(), provider, "google", email=other_owner.user.email)

    response = owner.client.post(f"{API}/auth/disconnect/google/")

    assert response.status_code == 404
    assert SocialAccount.objects.get().user == other_owner.user
