"""pytest fixtures for the drive fakes, and helpers that connect a member to them.

Import them in a conftest.py: `from flowline.drives.testing.fixtures import *  # noqa: F403`.
`fake_google_drive` / `fake_onedrive` start a fake, allow-list its address and point the
DRIVE_* settings at it;
`connect_google_drive(member, fake)` / `connect_onedrive(member, fake)` store a connection
with tokens the fake accepts.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from flowline.core.testing.outbound import allow_private_host
from flowline.drives.cloud_files import GOOGLE_DRIVE, ONEDRIVE
from flowline.drives.models import CloudConnection
from flowline.sandbox.drives import fake_google, fake_microsoft
from flowline.sandbox.drives.fake_google import FakeGoogleDrive
from flowline.sandbox.drives.fake_microsoft import FakeOneDrive
from flowline.sandbox.drives.oauth import CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, OAuthFake

__all__ = ["connect_google_drive", "connect_onedrive", "fake_google_drive", "fake_onedrive"]


@pytest.fixture
def fake_google_drive(settings):
    """A running fake Google OAuth + Drive v3 API, wired into the DRIVE_GOOGLE_* settings."""
    with FakeGoogleDrive() as server:
        allow_private_host(settings, server.root)
        settings.DRIVE_OAUTH_REDIRECT_URI = REDIRECT_URI
        settings.DRIVE_GOOGLE_CLIENT_ID = CLIENT_ID
        settings.DRIVE_GOOGLE_CLIENT_SECRET = CLIENT_SECRET
        settings.DRIVE_GOOGLE_AUTH_URL = f"{server.root}/o/oauth2/v2/auth"
        settings.DRIVE_GOOGLE_TOKEN_URL = f"{server.root}/token"
        settings.DRIVE_GOOGLE_API_BASE = server.root
        yield server


@pytest.fixture
def fake_onedrive(settings):
    """A running fake Microsoft identity + Graph API, wired into DRIVE_MICROSOFT_*."""
    with FakeOneDrive() as server:
        allow_private_host(settings, server.root)
        settings.DRIVE_OAUTH_REDIRECT_URI = REDIRECT_URI
        settings.DRIVE_MICROSOFT_CLIENT_ID = CLIENT_ID
        settings.DRIVE_MICROSOFT_CLIENT_SECRET = CLIENT_SECRET
        settings.DRIVE_MICROSOFT_AUTH_URL = f"{server.root}/common/oauth2/v2.0/authorize"
        settings.DRIVE_MICROSOFT_TOKEN_URL = f"{server.root}/common/oauth2/v2.0/token"
        settings.DRIVE_MICROSOFT_API_BASE = server.root
        yield server


def _connect(member, fake: OAuthFake, provider: str, email: str, expires_in: int):
    access, refresh = fake.issue_tokens()
    return CloudConnection.unscoped.create(
        account=member.account,
        user=member.user,
        provider=provider,
        access_token=access,
        refresh_token=refresh,
        expires_at=timezone.now() + timedelta(seconds=expires_in),
        scope=fake.scope,
        account_email=email,
    )


def connect_google_drive(member, fake: FakeGoogleDrive, *, expires_in: int = 3600):
    """`member` (core.testing.members.Member) connected to the fake Google Drive."""
    return _connect(member, fake, GOOGLE_DRIVE, fake_google.EMAIL, expires_in)


def connect_onedrive(member, fake: FakeOneDrive, *, expires_in: int = 3600):
    """`member` connected to the fake OneDrive."""
    return _connect(member, fake, ONEDRIVE, fake_microsoft.EMAIL, expires_in)
