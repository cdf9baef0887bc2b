"""Registration and password reset: enumeration-safe answers, one-time reset links."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail

from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity.models import Membership, User

API = "/api/v1"
NEW_PASSWORD = "Fresh-Reset-Pass-631"


def _link_params(message) -> dict:
    url = re.search(r"https?://\S+", message.body).group(0)
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}


def _register(email: str, password: str = "Sturdy-Pass-9981"):
    return APIClient().post(
        f"{API}/auth/register/",
        {"email": email, "password": password, "password_confirm": password},
        format="json",
    )


def _request_reset(email: str):
    return APIClient().post(f"{API}/auth/password-reset/", {"email": email}, format="json")


def _confirm(params: dict, password: str = NEW_PASSWORD):
    return APIClient().post(
        f"{API}/auth/password-reset/confirm/",
        {"uid": params["uid"], "token": params["token"], "new_password": password},
        format="json",
    )


def _login(email: str, password: str):
    return APIClient().post(
        f"{API}/auth/login/", {"email": email, "password": password}, format="json"
    )


# ---- registration ---------------------------------------------------------------------


@pytest.mark.django_db
def test_register_with_an_existing_email_answers_like_a_new_one(owner):
    # when the same request is made for a new and for a taken address
    new = _register("newcomer@example.com")
    taken = _register(owner.user.email)

    # then status and body are the same, apart from the address itself
    assert new.status_code == taken.status_code == 201
    new_body, taken_body = new.json(), taken.json()
    assert new_body["data"].pop("email") == "newcomer@example.com"
    assert taken_body["data"].pop("email") == owner.user.email
    assert new_body == taken_body


@pytest.mark.django_db
def test_register_with_an_existing_email_mails_already_registered_and_creates_nothing(owner):
    # when
    _register(owner.user.email.upper())

    # then the owner of the address hears about it; no account or user is added
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.user.email]
    assert "already" in (message.subject + message.body).lower()
    assert "/forgot-password" in message.body
    assert User.objects.count() == 1
    assert Membership.unscoped.filter(user=owner.user).count() == 1


@pytest.mark.django_db
def test_register_with_a_new_email_mails_a_verification_link(db):
    # when
    _register("fresh@example.com")

    # then
    assert [m.to for m in mail.outbox] == [["fresh@example.com"]]
    assert "token" in _link_params(mail.outbox[0])


@pytest.mark.django_db
def test_register_with_a_weak_password_answers_the_same_for_taken_and_new_emails(owner):
    # when a weak password is sent for a new and for a taken address
    new = _register("another@example.com", password="12345")
    taken = _register(owner.user.email, password="12345")

    # then both are refused alike: the password check cannot reveal who has an account
    assert new.status_code == taken.status_code == 400
    assert new.json()["code"] == taken.json()["code"] == "weak_password"
    assert new.json()["errors"] == taken.json()["errors"]
    assert mail.outbox == []


@pytest.mark.django_db
def test_register_with_mismatched_confirmation_is_400(db):
    # when
    response = APIClient().post(
        f"{API}/auth/register/",
        {"email": "x@example.com", "password": "Sturdy-Pass-9981", "password_confirm": "other"},
        format="json",
    )

    # then
    assert response.status_code == 400
    assert "password_confirm" in response.json()["errors"]


# ---- password reset -------------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_for_unknown_email_answers_like_a_known_one_and_sends_nothing(owner):
    # when
    known = _request_reset(owner.user.email)
    known_mails = len(mail.outbox)
    unknown = _request_reset("nobody@example.com")

    # then
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    assert known_mails == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_password_reset_link_sets_the_new_password_and_retires_the_old_one(owner):
    # given
    _request_reset(owner.user.email)
    params = _link_params(mail.outbox[-1])
    assert mail.outbox[-1].to == [owner.user.email]

    # when
    response = _confirm(params)

    # then
    assert response.status_code == 200, response.content
    assert _login(owner.user.email, owner.password).status_code == 401
    assert _login(owner.user.email, NEW_PASSWORD).status_code == 200


@pytest.mark.django_db
def test_password_reset_link_works_only_once(owner):
    # given a link that has been used
    _request_reset(owner.user.email)
    params = _link_params(mail.outbox[-1])
    assert _confirm(params).status_code == 200

    # when it is used again
    response = _confirm(params, password="Another-Pass-7712")

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "link_invalid"
    assert _login(owner.user.email, NEW_PASSWORD).status_code == 200


@pytest.mark.django_db
def test_password_reset_kills_tokens_issued_before(owner):
    # given
    _request_reset(owner.user.email)
    params = _link_params(mail.outbox[-1])

    # when
    _confirm(params)

    # then
    assert owner.client.get(f"{API}/auth/me/").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"token": "abc-123"},
        {"uid": "MTIzNDU2Nzg"},
        {"uid": "!!not-base64!!"},
        {"uid": "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"},
    ],
)
def test_password_reset_with_a_bad_link_is_400_in_the_envelope(owner, change):
    # given a real link with one part changed
    _request_reset(owner.user.email)
    params = _link_params(mail.outbox[-1]) | change

    # when
    response = _confirm(params)

    # then
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and body["code"] == "link_invalid" and body["request_id"]
    assert _login(owner.user.email, owner.password).status_code == 200


@pytest.mark.django_db
def test_password_reset_with_a_weak_password_is_400_and_keeps_the_link_usable(owner):
    # given
    _request_reset(owner.user.email)
    params = _link_params(mail.outbox[-1])

    # when
    weak = _confirm(params, password="password")

    # then
    assert weak.status_code == 400
    assert weak.json()["code"] == "weak_password"
    assert _confirm(params).status_code == 200


@pytest.mark.django_db
def test_password_reset_for_a_deactivated_user_sends_nothing(owner):
    # given
    owner.user.is_active = False
    owner.user.save(update_fields=["is_active"])

    # when
    response = _request_reset(owner.user.email)

    # then
    assert response.status_code == 200
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_reset_with_unknown_fields_is_400(db):
    # when
    response = APIClient().post(
        f"{API}/auth/password-reset/", {"email": "a@example.com", "admin": True}, format="json"
    )

    # then
    assert response.status_code == 400


@pytest.mark.django_db
def test_guessing_the_current_password_with_a_stolen_token_is_throttled(owner, settings):
    # given: the per-account budget of login-type requests
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login_identity": "3/min",
        },
    }

    # when: guesses at the current password, from ever new addresses
    statuses = [
        owner.client.post(
            f"{API}/auth/change-password/",
            {
                "old_password": f"guess-{i}",
                "new_password": NEW_PASSWORD,
                "new_password_confirm": NEW_PASSWORD,
            },
            format="json",
            REMOTE_ADDR=f"198.51.100.{i}",
        ).status_code
        for i in range(4)
    ]

    # then
    assert statuses == [400, 400, 400, 429]
