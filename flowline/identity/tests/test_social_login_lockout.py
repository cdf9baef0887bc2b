"""Social login keeps the password login's guards: lockout after failed logins, the login
throttle, and no sign-in for a deactivated user. Against the local provider
(flowline.sandbox.oidc.oidc_provider)."""

import pytest
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt
from django.test import override_settings

from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity.models import User
from flowline.identity.tests.social_login_support import (
    API,
    NEW,
    _callback,
    _dance,
)
from flowline.sandbox.oidc.oidc_provider import (
    ProviderUser,
    social_sign_in,
)


def _fail_password_logins(email: str, *, times: int) -> None:
    """Wrong passwords for `email` from the address the provider dance comes from."""
    for _ in range(times):
        APIClient().post(
            f"{API}/auth/login/",
            {"email": email, "password": "wrong"},
            format="json",
            REMOTE_ADDR="127.0.0.1",
        )


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_locked_out_user_cannot_sign_in_with_a_provider(provider, owner):
    # given the owner linked to Google, then locked out by failed password logins
    provider.users[owner.user.email] = ProviderUser(owner.user.email)
    social_sign_in(APIClient(), provider, "google", email=owner.user.email)
    _fail_password_logins(owner.user.email, times=3)
    assert AccessAttempt.objects.get().failures_since_start == 3

    # when they sign in with Google from the same address
    response = _dance(APIClient(), provider, owner.user.email)

    # then the lockout holds
    assert response.status_code == 429 and response.json()["code"] == "login_locked"
    assert "access" not in response.content.decode()


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=2)
def test_a_locked_out_user_is_not_linked_either(provider, owner):
    provider.users[owner.user.email] = ProviderUser(owner.user.email)
    _fail_password_logins(owner.user.email, times=2)

    response = _dance(APIClient(), provider, owner.user.email)

    assert response.status_code == 429 and response.json()["code"] == "login_locked"
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
def test_social_login_is_throttled_like_login(provider, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login": "3/min",
        },
    }
    client = APIClient()
    statuses = [client.get(f"{API}/social/auth/google/init/").status_code for _ in range(3)]
    statuses.append(_callback(client, "code", "state").status_code)

    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
def test_a_deactivated_user_cannot_sign_in_with_a_provider(provider):
    social_sign_in(APIClient(), provider, "google", email=NEW)
    User.objects.filter(email=NEW).update(is_active=False)

    response = _dance(APIClient(), provider, NEW)

    assert response.status_code == 403 and response.json()["code"] == "user_inactive"
