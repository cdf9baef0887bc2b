"""Repeated failed logins lock out (django-axes, flowline/identity/lockout.py): one email
from one address, one email from every address, one address for every email."""

import pytest
from axes.models import AccessAttempt
from django.test import override_settings

from flowline.core.testing.client import CommittingAPIClient as APIClient

API = "/api/v1"
LIMIT = 3
WIDE_LIMIT = 7  # per email from every address, and per address for every email
LIMITS = override_settings(
    AXES_FAILURE_LIMIT=LIMIT,
    FLOWLINE_LOGIN_USER_FAILURE_LIMIT=WIDE_LIMIT,
    FLOWLINE_LOGIN_ADDRESS_FAILURE_LIMIT=WIDE_LIMIT,
)


def _login(email: str, password: str, ip: str = "10.0.0.7", **headers):
    return APIClient().post(
        f"{API}/auth/login/",
        {"email": email, "password": password},
        format="json",
        REMOTE_ADDR=ip,
        **headers,
    )


def _fail(email: str, times: int, ip: str = "10.0.0.7", **headers) -> list[int]:
    return [_login(email, "wrong-password", ip, **headers).status_code for _ in range(times)]


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


@pytest.mark.django_db
@LIMITS
def test_a_new_forwarded_for_each_time_is_still_locked_out(owner):
    # given: each failure claims another address in X-Forwarded-For
    for i in range(LIMIT):
        _fail(owner.user.email, 1, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")

    # when
    response = _login(owner.user.email, owner.password, HTTP_X_FORWARDED_FOR="203.0.113.99")

    # then
    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"


@pytest.mark.django_db
@LIMITS
@override_settings(FLOWLINE_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_the_forwarded_client_is_locked_not_the_proxy(owner):
    # given: one client, through the proxy, reached the limit
    _fail(owner.user.email, LIMIT, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")

    # when
    locked = _login(
        owner.user.email, owner.password, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5"
    )
    other_client = _login(
        owner.user.email, owner.password, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6"
    )

    # then
    assert locked.status_code == 429
    assert other_client.status_code == 200
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"


@pytest.mark.django_db
@LIMITS
def test_failures_from_many_addresses_lock_the_email_everywhere(owner):
    # given: WIDE_LIMIT failures spread over addresses, none of which reached LIMIT
    for i in range(WIDE_LIMIT):
        _fail(owner.user.email, 1, ip=f"198.51.100.{i}")

    # when: the right password from an address that never failed
    response = _login(owner.user.email, owner.password, ip="198.51.100.200")

    # then
    assert response.status_code == 429


@pytest.mark.django_db
@LIMITS
def test_one_address_cannot_lock_someone_else_out(owner):
    # given: one address keeps failing at the owner's email, far past every limit
    statuses = _fail(owner.user.email, WIDE_LIMIT * 2, ip="198.51.100.66")

    # when the owner signs in from their own address
    response = _login(owner.user.email, owner.password, ip="198.51.100.1")

    # then: the attacking address is locked, the owner is not
    assert statuses[LIMIT:] == [429] * (WIDE_LIMIT * 2 - LIMIT)
    assert response.status_code == 200


@pytest.mark.django_db
@LIMITS
def test_failures_while_locked_out_neither_count_nor_extend_the_lock(owner):
    # given a locked pair
    _fail(owner.user.email, LIMIT)
    attempt = AccessAttempt.objects.get()

    # when it keeps failing
    _fail(owner.user.email, 5)

    # then
    attempt.refresh_from_db()
    assert attempt.failures_since_start == LIMIT
    assert attempt.attempt_time == AccessAttempt.objects.get().attempt_time


@pytest.mark.django_db
@LIMITS
def test_one_address_failing_at_many_emails_is_locked_out(owner):
    # given: WIDE_LIMIT failures from one address, over as many emails
    for i in range(WIDE_LIMIT):
        _fail(f"guess{i}@example.com", 1, ip="198.51.100.66")

    # when an account's own owner signs in from that address
    response = _login(owner.user.email, owner.password, ip="198.51.100.66")

    # then
    assert response.status_code == 429


@pytest.mark.django_db
@LIMITS
def test_signing_in_to_ones_own_account_does_not_clear_the_addresss_failures(owner, other_owner):
    # given: one short of the address limit, then a success on the attacker's own account
    for i in range(WIDE_LIMIT - 1):
        _fail(f"guess{i}@example.com", 1, ip="198.51.100.66")
    assert (
        _login(other_owner.user.email, other_owner.password, ip="198.51.100.66").status_code == 200
    )

    # when it fails once more
    statuses = _fail("guess-again@example.com", 1, ip="198.51.100.66")

    # then
    assert statuses == [429]
