import pytest

from flowline.ai.testing.fixtures import fake_openai, no_ai_environment  # noqa: F401
from flowline.social.testing.fixtures import *  # noqa: F403


@pytest.fixture
def post_failed_hook(owner):
    """A webhook endpoint of the owner's account subscribed to the post events."""
    from flowline.webhooks.models import WebhookEndpoint

    return WebhookEndpoint.unscoped.create(
        account=owner.account,
        url="https://hooks.example.com/flowline",
        secret="whsec_test",
        event_types=["post.published", "post.failed"],
    )


# Browser tests of the console run against the sandbox providers on a live server.
from flowline.sandbox.tests.conftest import sandbox  # noqa: E402, F401
