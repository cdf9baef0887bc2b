"""Mail really leaves over SMTP: a password reset delivered to an aiosmtpd server."""

import email
import re
import socket
from urllib.parse import parse_qs, urlparse

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from flowline.core.testing.client import CommittingAPIClient as APIClient

API = "/api/v1"


class _Inbox:
    """aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=5,
        ):
            yield inbox
    finally:
        controller.stop()


@pytest.mark.django_db
def test_password_reset_mail_is_delivered_over_smtp_with_a_working_link(owner, smtp_server):
    # when a reset is requested over HTTP
    response = APIClient().post(
        f"{API}/auth/password-reset/", {"email": owner.user.email}, format="json"
    )

    # then the SMTP server received one message for the owner with the reset link
    assert response.status_code == 200
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == [owner.user.email]
    message = email.message_from_bytes(envelope.content)
    assert message["To"] == owner.user.email
    assert "password" in message["Subject"].lower()
    body = message.get_payload(decode=True).decode()
    link = re.search(r"https?://\S+/reset-password\?\S+", body).group(0)
    params = {key: values[0] for key, values in parse_qs(urlparse(link).query).items()}
    assert set(params) == {"uid", "token"}

    # and the delivered link resets the password
    confirm = APIClient().post(
        f"{API}/auth/password-reset/confirm/",
        {**params, "new_password": "Delivered-By-Smtp-55"},
        format="json",
    )
    assert confirm.status_code == 200, confirm.content
    login = APIClient().post(
        f"{API}/auth/login/",
        {"email": owner.user.email, "password": "Delivered-By-Smtp-55"},
        format="json",
    )
    assert login.status_code == 200


@pytest.mark.django_db
def test_password_reset_for_unknown_email_sends_nothing_over_smtp(db, smtp_server):
    # when
    response = APIClient().post(
        f"{API}/auth/password-reset/", {"email": "nobody@example.com"}, format="json"
    )

    # then
    assert response.status_code == 200
    assert smtp_server.envelopes == []


@pytest.mark.django_db
def test_an_unreachable_mail_server_is_logged_and_answers_like_an_unknown_email(owner, caplog):
    # given nothing listens on the configured SMTP port
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=_free_port(),
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=2,
    ):
        # when a reset is asked for a known and for an unknown address
        known = APIClient().post(
            f"{API}/auth/password-reset/", {"email": owner.user.email}, format="json"
        )
        unknown = APIClient().post(
            f"{API}/auth/password-reset/", {"email": "nobody@example.com"}, format="json"
        )
        # and a registration whose verification mail cannot go out
        registered = APIClient().post(
            f"{API}/auth/register/",
            {
                "email": "new@example.com",
                "password": "Sturdy-Pass-9981",
                "password_confirm": "Sturdy-Pass-9981",
            },
            format="json",
        )

    # then nothing answers 500, the two resets look the same, and the failure is logged
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    assert registered.status_code == 201
    assert "Could not send the password_reset mail" in caplog.text
