"""Social login: the whole OAuth dance against a local OpenID Connect / OAuth 2.0 provider.

The provider (flowline.sandbox.oidc.oidc_provider) is a real Authlib authorization
server on 127.0.0.1; Flowline reaches it over HTTP through allauth's client, exactly as
it would reach Google, Microsoft or GitHub.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount

from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity.models import Membership, User
from flowline.identity.testing.fixtures import PROVIDER_EMAIL
from flowline.identity.tests.social_login_support import (
    API,
    NEW,
    _callback,
    _dance,
    _me,
    _start,
)
from flowline.sandbox.oidc.oidc_provider import (
    REDIRECT_URI,
    ProviderUser,
    social_sign_in,
)

# --- starting ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_init_sends_state_pkce_nonce_and_the_exact_redirect_uri(provider):
    # when a sign-in with Google starts
    client = APIClient()
    response = client.get(f"{API}/social/auth/google/init/")

    # then the authorization URL carries a fresh state, an S256 challenge, a nonce and
    # the one registered redirect URI
    data = response.json()["data"]
    url = urlsplit(data["authorization_url"])
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{provider.url}/authorize"
    assert query["redirect_uri"] == REDIRECT_URI
    assert query["state"] == data["state"] and len(data["state"]) >= 40
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["nonce"] and query["response_type"] == "code"
    assert set(query["scope"].split()) == {"openid", "profile", "email"}
    # and the attempt is bound to this browser by an HttpOnly cookie, never in the body
    cookie = response.cookies["flowline_social_login"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["secure"]
    assert cookie.value not in response.content.decode()
    assert data["expires_in"] == 600


@pytest.mark.django_db
def test_init_can_redirect_straight_to_the_provider(provider):
    response = APIClient().get(f"{API}/social/auth/github/init/", {"redirect": "true"})

    assert response.status_code == 302
    assert response["Location"].startswith(f"{provider.url}/login/oauth/authorize?")
    assert "flowline_social_login" in response.cookies


@pytest.mark.django_db
def test_unknown_provider_is_404_and_an_unconfigured_one_503(provider, settings):
    settings.SOCIAL_LOGIN_PROVIDERS = {"google": provider.provider_settings("google")}

    unknown = APIClient().get(f"{API}/social/auth/myspace/init/")
    off = APIClient().get(f"{API}/social/auth/github/init/")

    assert unknown.status_code == 404 and unknown.json()["code"] == "social_provider_unknown"
    assert off.status_code == 503 and off.json()["code"] == "social_provider_not_configured"


@pytest.mark.django_db
def test_next_must_be_a_path_on_the_frontend(provider):
    response = APIClient().get(f"{API}/social/auth/google/init/", {"next": "//evil.example.com/"})

    assert response.status_code == 400
    assert "next" in response.json()["errors"]


@pytest.mark.django_db
def test_providers_lists_the_configured_ones(provider, settings):
    settings.SOCIAL_LOGIN_PROVIDERS = {
        "google": provider.provider_settings("google"),
        "github": provider.provider_settings("github"),
        "apple": {"client_id": ""},
    }

    response = APIClient().get(f"{API}/social/auth/providers/")

    assert response.json()["data"] == [
        {"id": "google", "name": "Google"},
        {"id": "github", "name": "GitHub"},
    ]


@pytest.mark.django_db
def test_facebook_starts_at_the_configured_dialog_without_pkce(provider):
    data = _start(APIClient(), "facebook")

    url = urlsplit(data["authorization_url"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{provider.url}/dialog/oauth"
    assert query["redirect_uri"] == [REDIRECT_URI] and "code_challenge" not in query
    assert query["scope"] == ["email"]


# --- signing up and in ---------------------------------------------------------------------


@pytest.mark.django_db
def test_google_sign_up_creates_the_user_with_their_own_account(provider):
    # when someone new signs in with Google (OpenID Connect: ID token + userinfo)
    client = APIClient()
    response = _dance(client, provider, NEW)

    # then they get a user, verified by Google, without a password, owning a new account
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["message"] == "Signed up with Google"
    user = User.objects.get(email=NEW)
    assert user.email_verified and not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Nora", "North")
    membership = Membership.unscoped.get(user=user)
    assert membership.role == "owner" and membership.account.owner == user
    assert user.last_account_id == membership.account_id
    link = SocialAccount.objects.get(user=user)
    assert link.provider == "google" and link.uid == provider.users[NEW].sub
    # and the answer is the password login's: the profile and a usable token pair
    assert set(body["data"]) == {"user", "tokens"}
    assert body["data"]["user"]["email"] == NEW
    assert body["data"]["user"]["account"]["id"] == membership.account_id
    assert _me(body["data"]["tokens"]["access"]).status_code == 200
    refreshed = APIClient().post(
        f"{API}/auth/refresh/", {"refresh": body["data"]["tokens"]["refresh"]}, format="json"
    )
    assert refreshed.status_code == 200


@pytest.mark.django_db
def test_a_linked_user_signs_in_again_as_the_same_user(provider):
    first = social_sign_in(APIClient(), provider, "google", email=NEW)

    # when they come back (the provider's email is no longer what matches them)
    provider.users[NEW].email_verified = False
    response = _dance(APIClient(), provider, NEW)

    # then the link signs them in: same user, same account, nothing new
    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Login successful"
    data = response.json()["data"]
    assert data["user"]["id"] == first["user"]["id"]
    assert User.objects.count() == 1 and SocialAccount.objects.count() == 1
    assert Membership.unscoped.filter(user_id=data["user"]["id"]).count() == 1


@pytest.mark.django_db
def test_an_existing_user_is_linked_by_a_verified_email(provider, owner):
    provider.users[owner.user.email] = ProviderUser(owner.user.email)

    response = _dance(APIClient(), provider, owner.user.email)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["user"]["id"] == owner.user.id
    assert data["user"]["account"]["id"] == owner.account.id
    assert SocialAccount.objects.get().user == owner.user
    assert User.objects.count() == 1
    owner.user.refresh_from_db()
    assert owner.user.check_password(owner.password)  # the password still works


@pytest.mark.django_db
def test_an_unverified_provider_email_never_takes_over_an_account(provider, owner):
    # given a provider account claiming the owner's address without having verified it
    provider.users[owner.user.email] = ProviderUser(owner.user.email, email_verified=False)

    response = _dance(APIClient(), provider, owner.user.email)

    # then it is refused with a clear error: no tokens, no link
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "social_email_unverified"
    assert "not verified" in body["error"]
    assert "access" not in response.content.decode()
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
def test_an_unverified_provider_email_cannot_sign_up(provider):
    provider.users[NEW].email_verified = False

    response = _dance(APIClient(), provider, NEW)

    assert response.status_code == 403 and response.json()["code"] == "social_email_unverified"
    assert not User.objects.filter(email=NEW).exists()


@pytest.mark.django_db
def test_an_unverified_flowline_account_is_not_linked(provider, owner):
    # given an account someone registered with this address but never verified
    owner.user.email_verified = False
    owner.user.save(update_fields=["email_verified"])
    provider.users[owner.user.email] = ProviderUser(owner.user.email)

    response = _dance(APIClient(), provider, owner.user.email)

    assert response.status_code == 409
    assert response.json()["code"] == "social_link_requires_verified_account"
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
def test_cookie_mode_answers_with_the_login_cookies(provider):
    client = APIClient()
    start = _start(client, "google", cookie="true")
    back = provider.authorize(start["authorization_url"], email=NEW)

    response = _callback(client, back["code"], back["state"])

    assert response.status_code == 200
    tokens = response.json()["data"]["tokens"]
    assert set(tokens) == {"access_expires_at", "refresh_expires_at"}
    for name in ("access_token", "refresh_token"):
        assert response.cookies[name]["httponly"]
    assert not response.cookies["csrf_access_token"]["httponly"]
    assert response.cookies["flowline_social_login"].value == ""  # the binding is spent
    me = APIClient()
    me.cookies["access_token"] = response.cookies["access_token"].value
    assert me.get(f"{API}/auth/me/").status_code == 200


@pytest.mark.django_db
def test_github_sign_up_reads_the_verified_address_from_the_emails_endpoint(provider):
    # plain OAuth 2.0: no ID token, GitHub's /user and /user/emails
    response = _dance(APIClient(), provider, NEW, platform="github")

    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Signed up with GitHub"
    link = SocialAccount.objects.get()
    assert link.provider == "github" and link.uid == str(provider.users[NEW].numeric_id)
    assert provider.token_requests[-1]["code_verifier"]  # PKCE on this path too


@pytest.mark.django_db
def test_github_links_through_a_verified_secondary_address(provider, owner):
    provider.users["dev@example.com"] = ProviderUser(
        "dev@example.com", email_verified=False, other_emails=[(owner.user.email, True)]
    )

    response = _dance(APIClient(), provider, "dev@example.com", platform="github")

    assert response.status_code == 200, response.content
    assert response.json()["data"]["user"]["id"] == owner.user.id


@pytest.mark.django_db
def test_microsoft_addresses_are_not_trusted_unless_configured(provider, settings):
    refused = _dance(APIClient(), provider, NEW, platform="microsoft")
    settings.SOCIAL_LOGIN_PROVIDERS["microsoft"]["verified_email"] = True
    accepted = _dance(APIClient(), provider, NEW, platform="microsoft")

    assert refused.status_code == 403 and refused.json()["code"] == "social_email_unverified"
    assert accepted.status_code == 200, accepted.content
    assert SocialAccount.objects.get().provider == "microsoft"


@pytest.mark.django_db
def test_the_shared_fixture_signs_in_its_user(oidc_provider):
    # what other apps' story tests do: sign in with the local provider, use the tokens
    data = social_sign_in(APIClient(), oidc_provider, "github", email=PROVIDER_EMAIL)

    assert data["user"]["email"] == PROVIDER_EMAIL
    assert _me(data["tokens"]["access"]).json()["data"]["email"] == PROVIDER_EMAIL


@pytest.mark.django_db
def test_a_wrong_client_secret_fails_the_exchange(provider, settings):
    settings.SOCIAL_LOGIN_PROVIDERS["google"]["secret"] = "not-the-secret"

    response = _dance(APIClient(), provider, NEW)

    assert response.status_code == 400 and response.json()["code"] == "social_login_failed"
    assert not User.objects.exists()
