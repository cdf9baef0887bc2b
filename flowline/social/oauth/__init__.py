"""Connecting accounts: each platform's OAuth client (authorization URL, code exchange,
token refresh) and how it finds the identities a grant covers."""

from __future__ import annotations

from flowline.social.oauth.base import Connector, Identity, RefreshedToken
from flowline.social.oauth.linkedin import LinkedInConnector
from flowline.social.oauth.meta import MetaConnector
from flowline.social.oauth.twitter import TwitterConnector

__all__ = ["Connector", "Identity", "RefreshedToken", "connector_for"]


def connector_for(platform: str) -> Connector:
    if platform in ("facebook", "instagram", "whatsapp"):
        return MetaConnector(platform)
    if platform == "twitter":
        return TwitterConnector(platform)
    if platform == "linkedin":
        return LinkedInConnector(platform)
    raise KeyError(platform)
