"""Billing fixtures: a fake Stripe on loopback that the real SDK talks to, and staff."""

import pytest

from flowline.core.testing import members
from flowline.core.testing.members import signed_in_client
from flowline.core.testing.outbound import allow_private_host
from flowline.sandbox.stripe.fake_stripe import API_KEY
from flowline.sandbox.stripe.server import FakeStripeServer
from flowline.sandbox.stripe.webhooks import WEBHOOK_SECRET


@pytest.fixture(scope="session")
def _fake_stripe_server():
    with FakeStripeServer() as server:
        yield server


@pytest.fixture
def fake_stripe(_fake_stripe_server, settings):
    """Stripe's API as the SDK sees it (allow-listed), fresh for each test
    (`fake_stripe.fake` holds its state and the requests it received)."""
    settings.STRIPE_SECRET_KEY = API_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = _fake_stripe_server.url
    allow_private_host(settings, _fake_stripe_server.url)
    settings.STRIPE_TIMEOUT = 5
    _fake_stripe_server.fake.reset()
    yield _fake_stripe_server.fake
    _fake_stripe_server.fake.reset()


@pytest.fixture
def staff(db):
    """A Flowline operator (Django staff) signed into an account of their own."""
    operator = members.new_owner(email="operator@example.com")
    operator.user.is_staff = True
    operator.user.save(update_fields=["is_staff"])
    operator.client = signed_in_client(operator.user, operator.account_id)
    return operator


@pytest.fixture
def billing_operator(staff):
    """Staff allowed to decide payments in the Django admin."""
    from django.contrib.auth.models import Permission

    staff.user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="billing", codename__in=["view_payment", "change_payment"]
        )
    )
    return staff
