"""How SOCIAL_LOGIN_PROVIDERS become allauth apps (units, no network)."""

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from flowline.identity.social_login import providers


def test_apple_client_secret_is_an_es256_jwt_signed_with_the_team_key():
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    conf = {
        "client_id": "com.example.web",
        "team_id": "TEAM123456",
        "key_id": "KEY1234567",
        "private_key": pem,
        "server_url": "https://appleid.apple.com",
    }

    app = providers._app(providers.SPECS["apple"], conf)

    header = jwt.get_unverified_header(app.secret)
    claims = jwt.decode(
        app.secret, key.public_key(), algorithms=["ES256"], audience="https://appleid.apple.com"
    )
    assert header["kid"] == "KEY1234567" and header["alg"] == "ES256"
    assert claims["iss"] == "TEAM123456" and claims["sub"] == "com.example.web"
    assert claims["exp"] - claims["iat"] == 3600
    assert app.settings["auth_params"] == {"response_mode": "form_post"}
    assert app.settings["fetch_userinfo"] is False


def test_apps_exist_only_for_providers_with_a_client_id(settings):
    settings.SOCIAL_LOGIN_PROVIDERS = {
        "google": {"client_id": "g", "secret": "s", "server_url": "https://accounts.google.com"},
        "github": {"client_id": "", "secret": ""},
    }

    apps = providers.SocialAccountAdapter().list_apps(None)

    assert [(a.provider, a.provider_id, a.client_id) for a in apps] == [
        ("openid_connect", "google", "g")
    ]
    assert apps[0].settings["oauth_pkce_enabled"] is True
    assert "secret" not in apps[0].settings and "client_id" not in apps[0].settings
    assert [spec.id for spec in providers.configured()] == ["google"]


@pytest.mark.parametrize("provider", ["google", "microsoft", "github"])
def test_pkce_can_be_turned_off_per_provider(settings, provider):
    settings.SOCIAL_LOGIN_PROVIDERS = {provider: {"client_id": "c", "pkce": False}}

    (app,) = providers.SocialAccountAdapter().list_apps(None)

    assert app.settings["oauth_pkce_enabled"] is False
