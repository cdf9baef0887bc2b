"""The sandbox survives a restart: each provider's state is saved in the installation's
var/sandbox/ and a new provider instance (a new process) reads it back."""

import base64
from urllib.parse import urlencode

import pytest
from django.core import mail as django_mail
from django.test import Client

from flowline.sandbox import mail, providers
from flowline.sandbox.stripe import fake_stripe
from flowline.sandbox.wordpress.fake_wordpress import APP_PASSWORD, USERNAME

pytestmark = pytest.mark.django_db
WP_POSTS = "/sandbox/wordpress/wp-json/wp/v2/posts"


@pytest.fixture
def saved_sandbox(settings, tmp_path):
    settings.FLOWLINE_SANDBOX = True
    settings.FLOWLINE_SANDBOX_URL = "http://testserver/sandbox"
    settings.FLOWLINE_SANDBOX_STATE_DIR = str(tmp_path)
    settings.EMAIL_BACKEND = "flowline.sandbox.mail.OutboxEmailBackend"
    providers.reset()
    yield tmp_path
    providers.reset()


def restart() -> None:
    """What a restart does to the sandbox: every provider is gone from memory."""
    providers.reset()


def _publish_on_wordpress(title: str) -> dict:
    token = base64.b64encode(f"{USERNAME}:{APP_PASSWORD}".encode()).decode()
    created = Client().post(
        WP_POSTS,
        {"title": title, "content": "<p>Fresh mugs.</p>", "status": "publish"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {token}",
    )
    assert created.status_code == 201, created.content
    return created.json()


def test_a_restarted_sandbox_wordpress_still_shows_its_posts_and_never_reuses_an_id(
    saved_sandbox,
):
    # given
    first = _publish_on_wordpress("Spring mugs")

    # when
    restart()

    # then: the site still shows it, and the next post gets a new id
    assert b"Spring mugs" in Client().get("/sandbox/wordpress/").content
    assert _publish_on_wordpress("Summer mugs")["id"] != first["id"]
    assert (saved_sandbox / "wordpress.pickle").exists()


def test_a_checkout_session_is_still_payable_after_a_restart(saved_sandbox):
    # given: a Checkout Session made through the sandbox Stripe API
    body = urlencode(
        {
            "mode": "payment",
            "success_url": "http://testserver/billing/?paid={CHECKOUT_SESSION_ID}",
            "line_items[0][price_data][currency]": "usd",
            "line_items[0][price_data][unit_amount]": "1000",
            "line_items[0][price_data][product_data][name]": "500 credits",
            "line_items[0][quantity]": "1",
        }
    )
    created = Client().post(
        "/sandbox/stripe/v1/checkout/sessions",
        body,
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=f"Bearer {fake_stripe.API_KEY}",
    )
    assert created.status_code == 200, created.content
    session_id = created.json()["id"]

    # when
    restart()

    # then: its checkout page is still there, with the amount
    page = Client().get(f"/sandbox/checkout/{session_id}")
    assert page.status_code == 200 and b"10.00 USD" in page.content


def test_push_subscriptions_and_sent_emails_survive_a_restart(saved_sandbox):
    # given: a browser subscribed to the sandbox push service, and an e-mail sent
    subscription = Client().post("/sandbox/push/subscription").json()
    django_mail.send_mail("Welcome", "Verify: http://testserver/v/1", None, ["ada@example.com"])

    # when
    restart()

    # then: the push service still holds that browser's keys, and the outbox the e-mail
    [browser] = providers.get("push").browsers.values()
    assert browser.p256dh == subscription["keys"]["p256dh"]
    assert [m["subject"] for m in mail.outbox()] == ["Welcome"]


def test_without_a_state_directory_a_restart_is_a_fresh_sandbox(saved_sandbox, settings):
    # given
    settings.FLOWLINE_SANDBOX_STATE_DIR = ""
    _publish_on_wordpress("Gone after restart")

    # when
    restart()

    # then
    assert b"Gone after restart" not in Client().get("/sandbox/wordpress/").content
