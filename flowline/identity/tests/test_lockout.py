"""Repeated failed logins lock the email and address pair out (django-axes)."""

import pytest
from axes.models import AccessAttempt
from django.test import override_settings

from flowline.core.testing.client import CommittingAPIClient as APIClient

API = "/api/v1"
LIMIT = 3


def _login(email: str, password: str, ip: str = "10.0.0.7"):
    return APIClient().post(
        f"{API}/auth/login/",
        {"email": email, "password": password},
        format="json",
        REMOTE_ADDR=ip,
    )


def _fail(email: str, times: int, ip: str = "10.0.0.7") -> list[int]:
    return [_login(email, "wrong-password", ip).status_code for _ in range(times)]


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_failed_logins_reach_axes_with_the_request(owner):
    # when one login fails
    response = _login(owner.user.email, "wrong-password", ip="10.0.0.7")

    # then axes recorded it against the email and the caller's address
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    attempt = AccessAttempt.objects.get()
    assert attempt.username == owner.user.email
    assert attempt.ip_address == "10.0.0.7"
    assert attempt.failures_since_start == 1


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_right_password_is_refused_after_the_failure_limit(owner):
    # given LIMIT failed logins for the same email and address
    statuses = _fail(owner.user.email, LIMIT)

    # when the right password comes next
    response = _login(owner.user.email, owner.password)

    # then the pair is locked: 429 in the envelope with Retry-After
    assert statuses[: LIMIT - 1] == [401] * (LIMIT - 1)
    assert statuses[-1] == 429
    assert response.status_code == 429
    body = response.json()
    assert body["success"] is False and body["code"] == "login_locked" and body["request_id"]
    assert int(response["Retry-After"]) > 0
    assert "access" not in response.content.decode()


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_lockout_ignores_the_case_of_the_email(owner):
    # given failures with the email in other cases
    _fail(owner.user.email.upper(), LIMIT)

    # when
    response = _login(owner.user.email, owner.password)

    # then
    assert response.status_code == 429


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_lockout_does_not_lock_the_same_email_from_another_address(owner):
    # given
    _fail(owner.user.email, LIMIT, ip="10.0.0.7")

    # when
    response = _login(owner.user.email, owner.password, ip="10.0.0.8")

    # then
    assert response.status_code == 200


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_lockout_does_not_lock_another_email_from_the_same_address(owner, other_owner):
    # given
    _fail(owner.user.email, LIMIT, ip="10.0.0.7")

    # when
    response = _login(other_owner.user.email, other_owner.password, ip="10.0.0.7")

    # then
    assert response.status_code == 200


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_a_successful_login_before_the_limit_resets_the_count(owner):
    # given failures one short of the limit, then a success
    _fail(owner.user.email, LIMIT - 1)
    assert _login(owner.user.email, owner.password).status_code == 200

    # when failing again one short of the limit
    statuses = _fail(owner.user.email, LIMIT - 1)

    # then the right password still works
    assert statuses == [401] * (LIMIT - 1)
    assert _login(owner.user.email, owner.password).status_code == 200


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_unknown_emails_are_locked_out_like_known_ones(db):
    # when an unknown email fails as often as a known one would
    statuses = _fail("nobody@example.com", LIMIT + 1)

    # then the answers are the same as for a real account (no enumeration by lockout)
    assert statuses == [401] * (LIMIT - 1) + [429, 429]
