"""pytest fixtures for the WordPress fake, and a helper that connects a site to it.

Import them in a conftest.py:
`from flowline.integration.testing.fixtures import *  # noqa: F403`.
"""

from __future__ import annotations

import pytest

from flowline.core.testing.outbound import allow_private_host
from flowline.integration.models import SiteIntegration
from flowline.integration.services.integrations import new_webhook_secret
from flowline.sandbox.wordpress.fake_wordpress import APP_PASSWORD, USERNAME, FakeWordPress

__all__ = ["connect_wordpress", "fake_wordpress"]


@pytest.fixture
def fake_wordpress(settings):
    """A running fake WordPress (`.base_url`, `.posts`, `.media`, `.fail(...)`); requests
    to it time out after 2 s, and its plain-HTTP loopback URL is allowed (tests only)."""
    settings.WORDPRESS_ALLOW_HTTP = True
    settings.WORDPRESS_TIMEOUT = 2.0
    with FakeWordPress() as server:
        allow_private_host(settings, server.base_url)
        yield server


def connect_wordpress(site, fake: FakeWordPress, **fields) -> SiteIntegration:
    """`site` connected to the fake with valid credentials."""
    return SiteIntegration.unscoped.create(
        account_id=site.account_id,
        site=site,
        base_url=fake.base_url,
        username=fields.pop("username", USERNAME),
        app_password=fields.pop("app_password", APP_PASSWORD),
        webhook_secret=new_webhook_secret(),
        **fields,
    )
