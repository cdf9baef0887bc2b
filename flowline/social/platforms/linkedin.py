"""LinkedIn REST API."""

from __future__ import annotations

from flowline.social.platforms.base import PlatformAdapter


class LinkedInAdapter(PlatformAdapter):
    platform = "linkedin"
