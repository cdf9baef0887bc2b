"""Social login refuses forged, replayed and mismatched callbacks: state bound to the
browser and taken once, PKCE, the exact redirect URI, the nonce, single-use codes.
Against the local Authlib provider (flowline.sandbox.oidc.oidc_provider)."""

import pytest
from django.core.cache import cache

from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity.models import User
from flowline.identity.social_login import flow
from flowline.identity.tests.social_login_support import (
    API,
    NEW,
    _callback,
    _start,
)

# --- forged, replayed and mismatched callbacks ---------------------------------------------


@pytest.mark.django_db
def test_a_forged_state_is_refused_before_calling_the_provider(provider):
    client = APIClient()
    start = _start(client)
    back = provider.authorize(start["authorization_url"], email=NEW)

    response = _callback(client, back["code"], "forged-state")

    assert response.status_code == 400 and response.json()["code"] == "oauth_state_invalid"
    assert provider.token_requests == []
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_callback_in_another_browser_is_refused(provider):
    # given an attempt started in one browser (an attacker's, say)
    started_in = APIClient()
    start = _start(started_in)
    back = provider.authorize(start["authorization_url"], email=NEW)

    # when its code and state arrive in another browser (login CSRF)
    response = _callback(APIClient(), back["code"], back["state"])

    # then nothing is exchanged and the state is spent
    assert response.status_code == 400 and response.json()["code"] == "oauth_state_invalid"
    assert "another browser" in response.json()["error"]
    assert provider.token_requests == []
    assert _callback(started_in, back["code"], back["state"]).status_code == 400


@pytest.mark.django_db
def test_a_replayed_callback_is_refused(provider):
    client = APIClient()
    start = _start(client)
    back = provider.authorize(start["authorization_url"], email=NEW)
    assert _callback(client, back["code"], back["state"]).status_code == 200

    # the binding cookie is gone after the first answer; give it back to be sure
    client.cookies["flowline_social_login"] = "anything"
    again = _callback(client, back["code"], back["state"])

    assert again.status_code == 400 and again.json()["code"] == "oauth_state_invalid"
    assert len(provider.token_requests) == 1


@pytest.mark.django_db
def test_a_code_injected_into_another_attempt_fails_pkce(provider):
    # given two attempts in the same browser; the code of the first arrives with the
    # state of the second (its PKCE verifier is not the one the code was issued for)
    client = APIClient()
    first = _start(client)
    stolen = provider.authorize(first["authorization_url"], email=NEW)
    second = _start(client)

    response = _callback(client, stolen["code"], second["state"])

    # then the provider refuses the exchange and nobody is signed in
    assert response.status_code == 400 and response.json()["code"] == "social_login_failed"
    assert provider.token_errors == ["Code challenge failed."]
    assert not User.objects.exists()


def _attempt(client, provider):
    """An authorized attempt and the server-side record its callback will use."""
    start = _start(client)
    back = provider.authorize(start["authorization_url"], email=NEW)
    record = dict(cache.get(flow._key(back["state"])))
    return back, record


@pytest.mark.django_db
def test_a_replayed_code_is_refused_by_the_provider(provider, rf):
    client = APIClient()
    back, record = _attempt(client, provider)
    assert _callback(client, back["code"], back["state"]).status_code == 200

    with pytest.raises(flow.SocialLoginFailed):
        flow.login_complete(request=rf.get("/"), record=record, code=back["code"])
    assert provider.token_errors == ["Invalid 'code' in request."]


@pytest.mark.django_db
def test_a_wrong_pkce_verifier_is_refused(provider, rf):
    _, record = _attempt(APIClient(), provider)
    code = next(iter(provider.codes))

    with pytest.raises(flow.SocialLoginFailed):
        flow.login_complete(request=rf.get("/"), record=record | {"v": "x" * 64}, code=code)
    assert provider.token_errors == ["Code challenge failed."]


@pytest.mark.django_db
def test_a_different_redirect_uri_at_the_exchange_is_refused(provider, rf):
    _, record = _attempt(APIClient(), provider)
    code = next(iter(provider.codes))

    with pytest.raises(flow.SocialLoginFailed):
        flow.login_complete(
            request=rf.get("/"), record=record | {"r": "http://127.0.0.1:3000/other"}, code=code
        )
    assert provider.token_errors == ["Invalid 'redirect_uri' in request."]


@pytest.mark.django_db
def test_an_id_token_for_another_nonce_is_refused(provider, rf):
    _, record = _attempt(APIClient(), provider)
    code = next(iter(provider.codes))

    with pytest.raises(flow.SocialLoginFailed, match="does not belong"):
        flow.login_complete(request=rf.get("/"), record=record | {"n": "another"}, code=code)


@pytest.mark.django_db
def test_an_unregistered_redirect_uri_is_refused_by_the_provider(provider, settings):
    settings.SOCIAL_LOGIN_REDIRECT_URI = "http://127.0.0.1:3000/not-registered"
    start = _start(APIClient())

    with pytest.raises(AssertionError, match=r"Redirect URI .* is not supported"):
        provider.authorize(start["authorization_url"], email=NEW)
    assert provider.codes == {}


@pytest.mark.django_db
def test_a_cancelled_consent_is_reported(provider):
    client = APIClient()
    start = _start(client)

    response = client.post(
        f"{API}/social/auth/callback/",
        {"error": "access_denied", "state": start["state"]},
        format="json",
    )

    assert response.status_code == 400 and response.json()["code"] == "social_login_cancelled"


@pytest.mark.django_db
def test_a_callback_post_with_no_body_is_sent_back_to_the_login_page(settings):
    # when: a POST with no body and no content type (a form post that lost its fields)
    response = APIClient().post(f"{API}/social/auth/callback/")

    # then
    assert response.status_code == 302
    assert "social_error=validation_error" in response["Location"]
