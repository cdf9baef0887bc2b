"""pytest fixtures for the social platform fakes, and helpers that store connected accounts.

Import them in a conftest.py: `from flowline.social.testing.fixtures import *  # noqa: F403`.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from flowline.core.testing.outbound import allow_private_host
from flowline.sandbox.social import graph, linkedin, twitter
from flowline.sandbox.social.graph import FakeGraphAPI
from flowline.sandbox.social.linkedin import FakeLinkedIn
from flowline.sandbox.social.twitter import FakeXAPI
from flowline.social.models import SocialAccount

REDIRECT_URI = "http://127.0.0.1/oauth/social/callback"

__all__ = [
    "REDIRECT_URI",
    "connect_facebook_page",
    "connect_instagram",
    "connect_linkedin",
    "connect_twitter",
    "connect_whatsapp",
    "fake_graph",
    "fake_linkedin",
    "fake_x",
    "social_timeouts",
]


@pytest.fixture
def fake_graph(settings):
    """A running fake Graph API with one page (and its Instagram account) and one WhatsApp
    number, wired into the SOCIAL_FACEBOOK_* / SOCIAL_GRAPH_* settings and allow-listed."""
    with FakeGraphAPI() as server:
        allow_private_host(settings, server.root)
        server.add_page()
        server.add_whatsapp_number()
        settings.SOCIAL_OAUTH_REDIRECT_URI = REDIRECT_URI
        settings.SOCIAL_FACEBOOK_APP_ID = graph.APP_ID
        settings.SOCIAL_FACEBOOK_APP_SECRET = graph.APP_SECRET
        settings.SOCIAL_GRAPH_API_BASE = f"{server.root}/v21.0"
        settings.SOCIAL_FACEBOOK_AUTH_URL = f"{server.root}/v21.0/dialog/oauth"
        yield server


@pytest.fixture
def fake_x(settings):
    """A running fake X API v2 + OAuth 2.0, wired into SOCIAL_TWITTER_*."""
    with FakeXAPI() as server:
        allow_private_host(settings, server.root)
        settings.SOCIAL_OAUTH_REDIRECT_URI = REDIRECT_URI
        settings.SOCIAL_TWITTER_CLIENT_ID = twitter.CLIENT_ID
        settings.SOCIAL_TWITTER_CLIENT_SECRET = twitter.CLIENT_SECRET
        settings.SOCIAL_TWITTER_AUTH_URL = f"{server.root}/i/oauth2/authorize"
        settings.SOCIAL_TWITTER_API_BASE = server.root
        yield server


@pytest.fixture
def fake_linkedin(settings):
    """A running fake LinkedIn (OAuth, userinfo, REST), wired into SOCIAL_LINKEDIN_*."""
    with FakeLinkedIn() as server:
        allow_private_host(settings, server.root)
        settings.SOCIAL_OAUTH_REDIRECT_URI = REDIRECT_URI
        settings.SOCIAL_LINKEDIN_CLIENT_ID = linkedin.CLIENT_ID
        settings.SOCIAL_LINKEDIN_CLIENT_SECRET = linkedin.CLIENT_SECRET
        settings.SOCIAL_LINKEDIN_AUTH_URL = f"{server.root}/oauth/v2/authorization"
        settings.SOCIAL_LINKEDIN_TOKEN_URL = f"{server.root}/oauth/v2/accessToken"
        settings.SOCIAL_LINKEDIN_API_BASE = server.root
        yield server


@pytest.fixture
def social_timeouts(settings):
    """Short client timeouts so scripted `timeout` failures end quickly, yet long enough
    for the calls that do answer on a busy machine."""
    settings.SOCIAL_HTTP_TIMEOUT = 1.5
    settings.SOCIAL_HTTP_CONNECT_TIMEOUT = 1.5


def _store(member, platform: str, external_id: str, **fields) -> SocialAccount:
    return SocialAccount.unscoped.create(
        account=member.account,
        platform=platform,
        external_id=external_id,
        connected_by=member.user,
        **fields,
    )


def connect_facebook_page(member, fake: FakeGraphAPI, page: dict | None = None) -> SocialAccount:
    """`member`'s account connected to the fake's (first) page, with a valid page token."""
    page = page or next(iter(fake.pages.values()))
    return _store(
        member,
        "facebook",
        page["id"],
        name=page["name"],
        access_token=page["access_token"],
        refresh_token=fake.user_token(),
        token_expires_at=timezone.now() + timedelta(days=59),
    )


def connect_instagram(member, fake: FakeGraphAPI, page: dict | None = None) -> SocialAccount:
    """The Instagram business account of the fake's (first) page."""
    page = page or next(p for p in fake.pages.values() if p["ig"])
    return _store(
        member,
        "instagram",
        page["ig"],
        name=fake.instagram[page["ig"]]["username"],
        username=fake.instagram[page["ig"]]["username"],
        access_token=page["access_token"],
        refresh_token=fake.user_token(),
        token_expires_at=timezone.now() + timedelta(days=59),
        meta={"page_id": page["id"]},
    )


def connect_whatsapp(member, fake: FakeGraphAPI, *, broadcast_to=("15550001111",)) -> SocialAccount:
    """The fake's (first) WhatsApp number; posts go to `broadcast_to`."""
    phone_id = next(iter(fake.whatsapp))
    token = fake.user_token()
    return _store(
        member,
        "whatsapp",
        phone_id,
        name=fake.whatsapp[phone_id]["name"],
        access_token=token,
        refresh_token=token,
        token_expires_at=timezone.now() + timedelta(days=59),
        meta={"waba_id": "2001", "broadcast_to": list(broadcast_to)},
    )


def connect_twitter(member, fake: FakeXAPI, *, expires_in: int = 7200) -> SocialAccount:
    """The fake X user, with tokens the fake accepts (access expiring in `expires_in` s)."""
    access, refresh = fake.issue_token(fake.user["id"])
    return _store(
        member,
        "twitter",
        fake.user["id"],
        name=fake.user["name"],
        username=fake.user["username"],
        access_token=access,
        refresh_token=refresh,
        token_expires_at=timezone.now() + timedelta(seconds=expires_in),
    )


def connect_linkedin(member, fake: FakeLinkedIn, *, expires_in: int = 5184000) -> SocialAccount:
    """The fake LinkedIn member."""
    access, refresh = fake.issue_token(fake.member["sub"])
    return _store(
        member,
        "linkedin",
        fake.member["sub"],
        name=fake.member["name"],
        access_token=access,
        refresh_token=refresh,
        token_expires_at=timezone.now() + timedelta(seconds=expires_in),
        meta={"urn": fake.urn},
    )
