"""The sandbox's Web Push service (`flowline.sandbox.push`) started for a test."""

from __future__ import annotations

from contextlib import contextmanager

from flowline.core.testing.outbound import allow_private_host
from flowline.sandbox.push.push_service import FakeBrowser, FakePushService


@contextmanager
def fake_push_service(browsers: dict[str, FakeBrowser], settings):
    """A push service on 127.0.0.1 holding `browsers` (`/push/<browser name>`), its address
    allow-listed in pytest-django's `settings` for the test."""
    with FakePushService(browsers) as service:
        allow_private_host(settings, service.root)
        yield service
