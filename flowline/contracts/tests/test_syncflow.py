"""Syncflow (seed 000) as its frontend calls Flowline: base `/api`, dj-rest-auth's account
paths under `/api/accounts/`, trailing slashes as written, JWT (Bearer here; the cookie
mode is its own test). One row per path line of the seed, in its order."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail

from flowline.ai.tests.factories import AIAgentFactory, AIModelFactory, LLMProviderFactory
from flowline.contracts.tests.table import Row, call, check, params
from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity.public import account_create
from flowline.identity.testing.fixtures import oidc_provider  # noqa: F401
from flowline.identity.tests.factories import UserFactory
from flowline.jobs.tests.factories import AgentJobFactory
from flowline.sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

BASE = "/api"
ENVELOPE = ("success", "data")
LIST = ("count", "results")
NEW = "Fresh-Pass-4471"


def crud(path: str, item: str, create, update) -> list[Row]:
    return [
        Row("GET", path, keys=LIST),
        Row("POST", path, create, status=201, keys=ENVELOPE),
        Row("GET", f"{path}{{{item}}}/", keys=ENVELOPE),
        Row("PUT", f"{path}{{{item}}}/", update, keys=ENVELOPE),
        Row("PATCH", f"{path}{{{item}}}/", update, keys=ENVELOPE),
        Row("DELETE", f"{path}{{{item}}}/"),
    ]


ROWS = [
    # User Account (/api/accounts/)
    Row(
        "POST",
        "/accounts/auth/register/",
        {
            "email": "new@example.com",
            "password1": "Brand-New-Pass-5",
            "password2": "Brand-New-Pass-5",
        },
        status=201,
        keys=("success",),
    ),
    Row(
        "POST",
        "/accounts/auth/login/",
        lambda w: {"email": w["email"], "password": w["password"]},
        keys=ENVELOPE,
    ),
    Row("POST", "/accounts/auth/logout/"),
    Row("GET", "/accounts/auth/user/", keys=ENVELOPE),
    Row("POST", "/accounts/auth/password/reset/", lambda w: {"email": w["email"]}),
    Row(
        "POST",
        "/accounts/auth/password/reset/confirm/{uid}/{reset_token}/",
        {"new_password1": NEW, "new_password2": NEW},
    ),
    Row(
        "POST",
        "/accounts/auth/password/change/",
        lambda w: {"old_password": w["password"], "new_password1": NEW, "new_password2": NEW},
    ),
    Row("POST", "/accounts/auth/verify-email/", lambda w: {"key": w["verify_key"]}, keys=ENVELOPE),
    Row("POST", "/accounts/account-confirm-email/{verify_key}/", keys=ENVELOPE),
    Row("POST", "/accounts/account-email-verification-sent/"),
    Row("GET", "/accounts/profile/", keys=ENVELOPE),
    Row("PUT", "/accounts/profile/", {"first_name": "Sam"}, keys=ENVELOPE),
    Row("PATCH", "/accounts/profile/", {"theme": "dark"}, keys=ENVELOPE),
    # Social (/api/social/)
    Row("GET", "/social/auth/google/init/", keys=("authorization_url",), at="data"),
    # (the provider returns the browser here; without the state Flowline issued, the browser
    # is sent to the sign-in page with the error)
    Row("GET", "/social/auth/callback/", status=302),
    # Automations (/api/automations/)
    *crud(
        "/automations/llm-providers/",
        "provider",
        {"name": "Local", "kind": "offline"},
        {"name": "Local 2", "kind": "offline"},
    ),
    *crud(
        "/automations/ai-models/",
        "model",
        lambda w: {"name": "m", "provider": w["provider"]},
        lambda w: {"name": "m2", "provider": w["provider"]},
    ),
    *crud("/automations/ai-agents/", "agent", {"name": "Writer"}, {"name": "Editor"}),
    Row("GET", "/automations/agent-tasks/", keys=LIST),
    Row("GET", "/automations/agent-tasks/{task}/", keys=ENVELOPE),
    # Core (/api/)
    *crud("/brands/", "brand", {"name": "Yoga Studio"}, {"name": "Yoga Studio Lisbon"}),
    # API documentation and admin
    Row("GET", "/schema/"),
    Row("GET", "/docs/"),
    Row("GET", "/redoc/"),
]


def _link_params(message) -> dict:
    url = re.search(r"https?://\S+", message.body).group(0)
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}


@pytest.fixture
def world(owner, oidc_provider):  # noqa: F811
    # a reset link as Syncflow's user gets it, its uid and token going into the path
    APIClient().post("/api/accounts/auth/password/reset/", {"email": owner.user.email})
    reset = _link_params(mail.outbox[-1])
    # and a verification link of an address not verified yet
    unverified = UserFactory(email="unverified@example.com", email_verified=False)
    account_create(owner=unverified, name="Una's")
    from flowline.identity.public import email_verification_send

    email_verification_send(user=unverified)
    provider = LLMProviderFactory(account=owner.account)
    return {
        "email": owner.user.email,
        "password": owner.password,
        "uid": reset["uid"],
        "reset_token": reset["token"],
        "verify_key": _link_params(mail.outbox[-1])["token"],
        "provider": provider.id,
        "model": AIModelFactory(account=owner.account, provider=provider).id,
        "agent": AIAgentFactory(account=owner.account).id,
        "task": str(AgentJobFactory(account=owner.account).id),
        "brand": SiteFactory(account=owner.account).id,
    }


@pytest.mark.parametrize("row", params(ROWS))
def test_documented_endpoint_answers_as_documented(row, owner, world):
    response = call(owner.client, row, BASE, world)
    check(response, row)


def test_reset_confirm_with_uid_and_token_in_the_path_sets_the_new_password(owner, world):
    # given: the uid and token of the reset link, as Syncflow routes them
    url = f"/api/accounts/auth/password/reset/confirm/{world['uid']}/{world['reset_token']}/"
    # when
    response = APIClient().post(url, {"new_password1": NEW, "new_password2": NEW})
    # then: the new password signs in, the old one does not
    assert response.status_code == 200, response.content
    login = APIClient().post(
        "/api/accounts/auth/login/", {"email": owner.user.email, "password": NEW}
    )
    assert login.status_code == 200
    old = APIClient().post(
        "/api/accounts/auth/login/", {"email": owner.user.email, "password": owner.password}
    )
    assert old.status_code == 401


def test_mismatched_new_passwords_are_refused_on_the_field(owner, world):
    url = f"/api/accounts/auth/password/reset/confirm/{world['uid']}/{world['reset_token']}/"
    response = APIClient().post(url, {"new_password1": NEW, "new_password2": NEW + "x"})
    assert response.status_code == 400
    assert "new_password2" in response.json()["errors"]


def test_cookie_login_then_current_user_and_a_csrf_checked_write(owner):
    # given: Syncflow's browser signs in with cookies
    browser = APIClient()
    browser.post(
        "/api/accounts/auth/login/",
        {"email": owner.user.email, "password": owner.password, "cookie": True},
    )
    # when / then: the cookies alone identify the user; a write needs the CSRF echo
    assert browser.get("/api/accounts/auth/user/").json()["data"]["email"] == owner.user.email
    assert browser.post("/api/brands/", {"name": "x"}).status_code == 403
    csrf = browser.cookies["csrf_access_token"].value
    assert browser.post("/api/brands/", {"name": "x"}, HTTP_X_CSRF_TOKEN=csrf).status_code == 201
