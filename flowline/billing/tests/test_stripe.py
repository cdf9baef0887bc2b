"""The Stripe adapter, with the official SDK against the fake: what it sends, how Stripe's
errors come back, timeouts, and webhook signature checks."""

import json
import socket
import time
from decimal import Decimal

import pytest

from flowline.billing.providers import stripe as provider
from flowline.core.errors import ApplicationError
from flowline.core.testing.outbound import allow_private_host, internal_service, redirect_to
from flowline.sandbox.stripe.webhooks import event, signature_header, signed_webhook

pytestmark = pytest.mark.django_db


def test_a_customer_is_created_with_the_account_and_an_idempotency_key(fake_stripe):
    # when
    customer_id = provider.customer_create(account_id=7, name="Acme", email="billing@acme.test")

    # then
    (sent,) = fake_stripe.requests_to("POST", "/v1/customers")
    assert sent.params == {
        "name": "Acme",
        "email": "billing@acme.test",
        "metadata": {"account_id": "7"},
    }
    assert sent.headers["idempotency-key"] == "flowline-customer-7"
    assert sent.headers["authorization"] == f"Bearer {fake_stripe.api_key}"
    assert customer_id in fake_stripe.customers


def test_a_configured_stripe_price_is_used_instead_of_an_inline_one(fake_stripe):
    # given
    customer_id = provider.customer_create(account_id=1, name="A", email="a@a.test")
    item = provider.price_line_item(
        name="x", amount=1, currency="USD", price_id="price_123", monthly=False
    )

    # when
    provider.checkout_session_create(
        customer_id=customer_id,
        mode="payment",
        line_item=item,
        account_id=1,
        payment_id=9,
        idempotency_key="k-9",
    )

    # then
    (sent,) = fake_stripe.requests_to("POST", "/v1/checkout/sessions")
    assert sent.params["line_items"] == [{"price": "price_123", "quantity": "1"}]
    assert sent.params["payment_intent_data"] == {
        "metadata": {"account_id": "1", "payment_id": "9"}
    }


@pytest.mark.parametrize(
    ("status", "type_", "code", "expected_status", "expected_code"),
    [
        (500, "api_error", "", 502, "payment_provider_error"),
        (400, "invalid_request_error", "parameter_invalid", 502, "payment_provider_error"),
        (402, "card_error", "card_declined", 402, "card_declined"),
        (404, "invalid_request_error", "resource_missing", 400, "provider_object_not_found"),
    ],
)
def test_stripe_errors_become_one_application_error(
    fake_stripe, status, type_, code, expected_status, expected_code
):
    # given
    fake_stripe.fail_next(status, type_=type_, code=code)

    # when
    with pytest.raises(ApplicationError) as raised:
        provider.customer_create(account_id=1, name="A", email="a@a.test")

    # then
    assert (raised.value.status_code, raised.value.code) == (expected_status, expected_code)


def test_a_wrong_api_key_is_a_provider_error(fake_stripe, settings):
    # given
    settings.STRIPE_SECRET_KEY = "sk_test_wrong"

    # when
    with pytest.raises(ApplicationError) as raised:
        provider.customer_create(account_id=1, name="A", email="a@a.test")

    # then
    assert raised.value.status_code == 502
    assert fake_stripe.requests[-1].headers["authorization"] == "Bearer sk_test_wrong"


def test_a_stripe_that_never_answers_times_out_as_unavailable(settings):
    # given: a loopback port that accepts connections and never answers
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    settings.STRIPE_SECRET_KEY = "sk_test_any"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{silent.getsockname()[1]}"
    allow_private_host(settings, settings.STRIPE_API_BASE)
    settings.STRIPE_TIMEOUT = 0.3
    settings.STRIPE_MAX_NETWORK_RETRIES = 0

    # when
    started = time.monotonic()
    try:
        with pytest.raises(ApplicationError) as raised:
            provider.customer_create(account_id=1, name="A", email="a@a.test")
    finally:
        silent.close()

    # then: 503 within the timeout, not a hang
    assert (raised.value.status_code, raised.value.code) == (503, "payment_provider_unavailable")
    assert time.monotonic() - started < 5


def test_a_correctly_signed_event_is_accepted(settings):
    # given
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test"
    body, header = signed_webhook(event("ping", {"id": "x"}), secret="whsec_test")

    # when
    parsed = provider.event_construct(payload=body.encode(), signature=header)

    # then
    assert parsed == json.loads(body)


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("t=abc,v1=00", id="malformed-timestamp"),
        pytest.param("v1=deadbeef", id="no-timestamp"),
        pytest.param(lambda body: signature_header(body, secret="whsec_other"), id="other-secret"),
        pytest.param(
            lambda body: signature_header(
                body, secret="whsec_test", timestamp=int(time.time()) - 301
            ),
            id="older-than-300s",
        ),
        pytest.param(
            lambda body: signature_header(body, secret="whsec_test").replace("v1=", "v0="),
            id="other-scheme",
        ),
    ],
)
def test_a_bad_signature_header_is_refused(settings, header):
    # given
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test"
    body = json.dumps(event("ping", {"id": "x"}))
    header = header(body) if callable(header) else header

    # when
    with pytest.raises(ApplicationError) as raised:
        provider.event_construct(payload=body.encode(), signature=header)

    # then
    assert (raised.value.status_code, raised.value.code) == (400, "invalid_signature")


def test_without_a_webhook_secret_no_event_is_trusted(settings):
    # given
    settings.STRIPE_WEBHOOK_SECRET = ""
    body, header = signed_webhook(event("ping", {"id": "x"}), secret="")

    # when
    with pytest.raises(ApplicationError) as raised:
        provider.event_construct(payload=body.encode(), signature=header)

    # then
    assert raised.value.status_code == 503


def test_minor_units_follow_the_currency():
    assert provider.minor_units(Decimal("10.00"), "USD") == 1000
    assert provider.minor_units(Decimal("1500"), "JPY") == 1500
    assert provider.from_minor_units(2900, "usd") == Decimal("29.00")


def test_a_stripe_api_base_that_redirects_to_an_internal_address_is_not_followed(
    fake_stripe, settings
):
    # given: an API base (a proxy in front of Stripe, say) that redirects internally
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    with internal_service() as internal, redirect_to(f"{internal.url}/v1") as proxy:
        allow_private_host(settings, proxy.url)
        settings.STRIPE_API_BASE = proxy.url

        # when
        with pytest.raises(ApplicationError) as raised:
            provider.customer_create(account_id=1, name="A", email="a@a.test")

    # then: the secret key went to the configured address only
    assert raised.value.code == "payment_provider_unavailable"
    assert len(proxy.requests) == 1 and internal.requests == []


def test_a_stripe_api_base_on_an_internal_address_not_allow_listed_is_refused(
    fake_stripe, settings
):
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = []

    with pytest.raises(ApplicationError) as raised:
        provider.customer_create(account_id=1, name="A", email="a@a.test")

    assert raised.value.code == "payment_provider_unavailable"
    assert fake_stripe.requests == []
