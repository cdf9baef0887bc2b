"""Platform adapters over the real HTTP APIs (Graph API, X API v2, LinkedIn REST)."""

from __future__ import annotations

from importlib import import_module

from flowline.social.platforms.base import PlatformAdapter, Published
from flowline.social.platforms.rules import platform_rules, validate_variant

_ADAPTERS = {
    "facebook": "flowline.social.platforms.graph.FacebookPageAdapter",
    "instagram": "flowline.social.platforms.graph.InstagramAdapter",
    "whatsapp": "flowline.social.platforms.graph.WhatsAppAdapter",
    "twitter": "flowline.social.platforms.twitter.TwitterAdapter",
    "linkedin": "flowline.social.platforms.linkedin.LinkedInAdapter",
}

__all__ = ["PlatformAdapter", "Published", "adapter_for", "platform_rules", "validate_variant"]


def adapter_class(platform: str) -> type[PlatformAdapter]:
    module, _, name = _ADAPTERS[platform].rpartition(".")
    return getattr(import_module(module), name)


def adapter_for(social_account) -> PlatformAdapter:
    """The adapter that publishes as this account (its current token)."""
    return adapter_class(social_account.platform)(social_account)
