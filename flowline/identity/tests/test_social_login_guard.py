"""Social login reaches its providers through the guarded outbound session: allauth's
discovery, token and userinfo calls never reach an internal address that is not
allow-listed, directly or through a redirect."""

import pytest

from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.core.testing.outbound import allow_private_host, internal_service, redirect_to
from flowline.identity.tests.social_login_support import API

pytestmark = pytest.mark.django_db


def test_a_provider_whose_discovery_redirects_to_an_internal_address_is_refused(provider, settings):
    # given: Google's server URL answers the discovery request with a redirect
    with internal_service() as internal, redirect_to(internal.url) as server:
        allow_private_host(settings, server.url)
        settings.SOCIAL_LOGIN_PROVIDERS = {
            "google": {**provider.provider_settings("google"), "server_url": server.url}
        }

        # when
        response = APIClient().get(f"{API}/social/auth/google/init/")

    # then
    assert response.status_code == 400 and response.json()["code"] == "forbidden_url"
    assert len(server.requests) == 1 and internal.requests == []


def test_a_provider_on_an_internal_address_not_allow_listed_is_refused(provider, settings):
    settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = []

    response = APIClient().get(f"{API}/social/auth/google/init/")

    assert response.status_code == 400 and response.json()["code"] == "forbidden_url"
