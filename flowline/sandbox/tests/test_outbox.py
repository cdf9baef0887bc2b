"""The sandbox outbox: e-mails Flowline sends in sandbox mode show on /sandbox/outbox/."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox_mode(settings):
    settings.FLOWLINE_SANDBOX = True
    settings.FLOWLINE_SANDBOX_URL = "http://testserver/sandbox"
    settings.EMAIL_BACKEND = "flowline.sandbox.mail.OutboxEmailBackend"


def test_a_password_reset_email_shows_in_the_outbox_with_its_link(outbox_mode, owner, api_client):
    # when
    asked = api_client.post(
        "/api/v1/auth/password-reset/", {"email": owner.user.email}, format="json"
    )

    # then
    assert asked.status_code in (200, 202), asked.content
    page = Client().get("/sandbox/outbox/")
    assert page.status_code == 200
    text = page.content.decode()
    assert owner.user.email in text and "reset-password" in text


def test_the_outbox_answers_only_this_machine(outbox_mode):
    assert Client(REMOTE_ADDR="192.168.1.50").get("/sandbox/outbox/").status_code == 404


def test_the_outbox_is_not_found_outside_sandbox_mode(settings):
    settings.FLOWLINE_SANDBOX = False
    assert Client().get("/sandbox/outbox/").status_code == 404
