"""Email verification: a signed, expiring link sent on request and confirmed once clicked."""

import re
import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail, signing

from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.core.testing.members import signed_in_client
from flowline.identity.services import signing as identity_signing
from flowline.identity.services.accounts import account_create
from flowline.identity.tests.factories import UserFactory

API = "/api/v1"


def _token(message) -> str:
    url = re.search(r"https?://\S+", message.body).group(0)
    return parse_qs(urlparse(url).query)["token"][0]


def _unverified_member():
    user = UserFactory(email="unverified@example.com", email_verified=False, first_name="Una")
    account = account_create(owner=user, name="Una's")
    return user, signed_in_client(user, account.id)


def _confirm(token: str):
    return APIClient().post(f"{API}/auth/verify-email/", {"token": token}, format="json")


class _PastSigner(signing.TimestampSigner):
    """Signs as if it were `seconds_ago` seconds earlier."""

    def __init__(self, *args, seconds_ago: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.seconds_ago = seconds_ago

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - self.seconds_ago)


@pytest.mark.django_db
def test_send_verification_mails_a_link_that_verifies_the_address(db):
    # given
    _, client = _unverified_member()

    # when
    sent = client.post(f"{API}/auth/verify-email/send/")
    response = _confirm(_token(mail.outbox[-1]))

    # then
    assert sent.status_code == 200
    assert mail.outbox[-1].to == ["unverified@example.com"]
    assert response.status_code == 200, response.content
    assert response.json()["data"] == {"email": "unverified@example.com", "email_verified": True}
    assert client.get(f"{API}/auth/me/").json()["data"]["email_verified"] is True


@pytest.mark.django_db
def test_send_verification_needs_a_signed_in_user(db):
    # when
    response = APIClient().post(f"{API}/auth/verify-email/send/")

    # then
    assert response.status_code == 401
    assert mail.outbox == []


@pytest.mark.django_db
def test_send_verification_for_a_verified_address_sends_nothing(owner):
    # when
    response = owner.client.post(f"{API}/auth/verify-email/send/")

    # then
    assert response.status_code == 200
    assert mail.outbox == []


@pytest.mark.django_db
def test_confirming_twice_is_harmless(db):
    # given
    _, client = _unverified_member()
    client.post(f"{API}/auth/verify-email/send/")
    token = _token(mail.outbox[-1])
    assert _confirm(token).status_code == 200

    # when
    response = _confirm(token)

    # then
    assert response.status_code == 200


@pytest.mark.django_db
def test_tampered_verification_token_is_link_invalid(db):
    # given a real token with its signature changed
    _, client = _unverified_member()
    client.post(f"{API}/auth/verify-email/send/")
    token = _token(mail.outbox[-1])
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    # when
    response = _confirm(tampered)

    # then
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and body["code"] == "link_invalid" and body["request_id"]


@pytest.mark.django_db
def test_expired_verification_token_is_link_expired(db):
    # given a correctly signed token minted longer ago than the link lives
    user, _ = _unverified_member()
    token = _PastSigner(
        salt=identity_signing.EMAIL_VERIFY_SALT,
        seconds_ago=identity_signing.EMAIL_VERIFY_MAX_AGE + 60,
    ).sign_object({"u": user.pk, "e": user.email}, compress=True)

    # when
    response = _confirm(token)

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "link_expired"
    user.refresh_from_db()
    assert user.email_verified is False


@pytest.mark.django_db
def test_a_token_signed_for_another_purpose_is_link_invalid(db):
    # given an invitation-salted token carrying the user's id and email
    user, _ = _unverified_member()
    token = identity_signing.sign(
        {"u": user.pk, "e": user.email}, salt=identity_signing.INVITATION_SALT
    )

    # when
    response = _confirm(token)

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "link_invalid"


@pytest.mark.django_db
def test_verification_link_for_a_changed_address_is_link_invalid(db):
    # given a link minted for the old address
    user, client = _unverified_member()
    client.post(f"{API}/auth/verify-email/send/")
    token = _token(mail.outbox[-1])
    user.email = "changed@example.com"
    user.save(update_fields=["email"])

    # when
    response = _confirm(token)

    # then the new address is not verified by the old link
    assert response.status_code == 400
    assert response.json()["code"] == "link_invalid"
