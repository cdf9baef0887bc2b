"""pytest fixtures for the local sign-in provider.

Import them in a conftest.py: `from flowline.identity.testing.fixtures import *  # noqa: F403`.
`oidc_provider` runs a LocalOIDCProvider with one user, `PROVIDER_EMAIL`, and points every
social login provider (Google, Apple, Microsoft, GitHub, Facebook) at it; add people with
`oidc_provider.users[email] = ProviderUser(email)`, sign in with
`social_sign_in(api_client, oidc_provider, "google", email=...)`.
"""

from __future__ import annotations

import pytest

from flowline.sandbox.oidc.oidc_provider import ProviderUser, local_oidc_provider

__all__ = ["PROVIDER_EMAIL", "oidc_provider"]

PROVIDER_EMAIL = "social.user@example.com"


@pytest.fixture
def oidc_provider(settings):
    """A running local OAuth 2.0 / OpenID Connect provider wired into SOCIAL_LOGIN_*."""
    with local_oidc_provider(users=[ProviderUser(PROVIDER_EMAIL)]) as provider:
        provider.configure(settings)
        yield provider
