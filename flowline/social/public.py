"""What other apps may call: connected social accounts and the adapters that publish as them.

    from flowline.social import public as social

    account = social.get_account(account_id=..., social_account_id=...)   # scoped read
    adapter = social.adapter_for(account)
    errors = adapter.validate(variant)          # {} when the platform would take it
    published = adapter.publish(variant)        # Published(external_id, url)
    adapter.find_published(variant, since)      # settle an UnknownOutcome without re-sending
    adapter.fetch_metrics([external_id, ...])   # {id: {"reach", "engagement", ...}}
    social.platform_rules("twitter")            # limits, without an account

A variant is `{"text": str, "link": str,
"media": [{"url" | "file_id", "type": "image" | "video"}]}`.

Errors (`flowline.social.errors`): `TransientPlatformError(retry_after)` retry later;
`AuthorizationError` the token is dead — call `report_authorization_error(account, exc)` so
the account is marked and its owner notified once; `ContentRejected` do not retry;
`UnknownOutcome` call `find_published` before anything else.
"""

from __future__ import annotations

from flowline.social import selectors
from flowline.social.errors import (
    AuthorizationError,
    ContentRejected,
    PlatformError,
    TransientPlatformError,
    UnknownOutcome,
)
from flowline.social.models import Platform, SocialAccount
from flowline.social.platforms import adapter_for, platform_rules, validate_variant
from flowline.social.platforms.base import Published

PLATFORMS = [choice.value for choice in Platform]

__all__ = [
    "PLATFORMS",
    "AuthorizationError",
    "ContentRejected",
    "Platform",
    "PlatformError",
    "Published",
    "SocialAccount",
    "TransientPlatformError",
    "UnknownOutcome",
    "adapter_for",
    "get_account",
    "platform_rules",
    "report_authorization_error",
    "validate_variant",
]


def get_account(*, account_id: int, social_account_id: int) -> SocialAccount:
    """One social account of that tenant (DoesNotExist for another tenant's id)."""
    return selectors.account_of_tenant(account_id=account_id, social_account_id=social_account_id)


def report_authorization_error(social_account: SocialAccount, error: AuthorizationError) -> None:
    """The platform refused the account's token while publishing: mark the account and
    notify its owner (once, however many posts hit the same dead token)."""
    from flowline.social.services.health import account_mark_dead

    account_mark_dead(social_account_id=social_account.pk, reason=str(error))
