"""X API v2."""

from __future__ import annotations

from flowline.social.platforms.base import PlatformAdapter


class TwitterAdapter(PlatformAdapter):
    platform = "twitter"
