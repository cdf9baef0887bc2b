"""Social login through the browser: the provider redirects (or, for Apple, form-posts) its
answer to the API, which signs the browser in with cookies and sends it on to the frontend.
Against the local provider (flowline.sandbox.oidc.oidc_provider)."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount

from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity.models import User
from flowline.identity.tests.social_login_support import (
    API,
    NEW,
    _start,
)


@pytest.mark.django_db
def test_a_redirect_to_the_api_signs_the_browser_in_and_goes_to_the_frontend(provider, settings):
    callback = "http://127.0.0.1:8000/api/v1/social/auth/callback/"
    provider.clients["flowline-local-client"].redirect_uris.append(callback)
    settings.SOCIAL_LOGIN_REDIRECT_URI = callback
    settings.FRONTEND_URL = "http://127.0.0.1:3000"
    client = APIClient()
    start = _start(client, next="/dashboard")
    back = provider.authorize(start["authorization_url"], email=NEW)

    response = client.get(
        f"{API}/social/auth/callback/", {"code": back["code"], "state": back["state"]}
    )

    assert response.status_code == 302
    assert response["Location"] == "http://127.0.0.1:3000/dashboard"
    assert response.cookies["access_token"]["httponly"] and response.cookies["access_token"].value


@pytest.mark.django_db
def test_a_refused_browser_callback_goes_to_the_frontend_with_the_error(provider, settings):
    settings.FRONTEND_URL = "http://127.0.0.1:3000"

    response = APIClient().get(f"{API}/social/auth/callback/", {"code": "c", "state": "s"})

    assert response.status_code == 302
    assert response["Location"] == "http://127.0.0.1:3000/login?social_error=oauth_state_invalid"
    assert "access_token" not in response.cookies or not response.cookies["access_token"].value


@pytest.mark.django_db
def test_apple_posts_the_answer_back_and_the_browser_is_signed_in(provider, settings):
    # given Apple's way: no PKCE, the answer form-posted by the browser to the API
    callback = "http://testserver/api/v1/social/auth/callback/"
    provider.clients["flowline-local-client"].redirect_uris.append(callback)
    provider.require_pkce = False
    settings.SOCIAL_LOGIN_REDIRECT_URI = callback
    settings.FRONTEND_URL = "http://127.0.0.1:3000"
    client = APIClient()
    init = client.get(f"{API}/social/auth/apple/init/", {"next": "/welcome"})
    query = parse_qs(urlsplit(init.json()["data"]["authorization_url"]).query)
    assert query["response_mode"] == ["form_post"] and "code_challenge" not in query
    assert set(query["scope"][0].split()) == {"openid", "name", "email"}
    # a cross-site form post only carries a SameSite=None cookie
    binding = init.cookies["flowline_social_login"]
    assert binding["samesite"] == "None" and binding["secure"]

    back = provider.authorize(init.json()["data"]["authorization_url"], email=NEW)
    assert back["redirect_uri"] == callback
    response = client.generic(
        "POST",
        f"{API}/social/auth/callback/",
        urlencode({"code": back["code"], "state": back["state"]}),
        content_type="application/x-www-form-urlencoded",
    )

    # then Apple's ID token alone signed them up, and the browser lands on the frontend
    assert response.status_code == 302, response.content
    assert response["Location"] == "http://127.0.0.1:3000/welcome"
    assert response.cookies["access_token"].value
    assert SocialAccount.objects.get().provider == "apple"
    assert User.objects.get(email=NEW).email_verified
