"""Reads of social accounts: one tenant's account by id, an account due a token
refresh, and every platform's posting rules."""

from __future__ import annotations

from flowline.social.models import Platform, SocialAccount
from flowline.social.platforms import platform_rules


def account_of_tenant(*, account_id: int, social_account_id: int) -> SocialAccount:
    """One social account of that tenant (DoesNotExist for another tenant's id); the
    caller names the tenant, as publishing and the beat run outside a request."""
    return SocialAccount.unscoped.get(account_id=account_id, pk=social_account_id)


def account_to_refresh(*, social_account_id: int) -> SocialAccount | None:
    """The account when it is still active (a disconnected or dead one is not refreshed)."""
    return SocialAccount.unscoped.filter(
        pk=social_account_id, status=SocialAccount.Status.ACTIVE
    ).first()


def platforms_rules() -> list[dict]:
    """Each platform's limits (text length, media count and types, links), in the
    platforms' order."""
    return [platform_rules(platform) for platform in Platform.values]
