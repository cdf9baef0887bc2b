"""Meta Graph API: Facebook pages, Instagram business accounts, WhatsApp Business."""

from __future__ import annotations

from flowline.social.platforms.base import PlatformAdapter


class GraphAdapter(PlatformAdapter):
    pass


class FacebookPageAdapter(GraphAdapter):
    platform = "facebook"


class InstagramAdapter(GraphAdapter):
    platform = "instagram"


class WhatsAppAdapter(GraphAdapter):
    platform = "whatsapp"
