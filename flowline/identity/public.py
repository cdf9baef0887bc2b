"""What other apps may ask of identity: accounts, members, and the hooks apps above it
register (new accounts, seat checks, site access)."""

from __future__ import annotations

from dataclasses import dataclass

from flowline.identity.hooks import (  # noqa: F401  (re-exported)
    SiteDirectory,
    register_account_created_listener,
    register_seat_check,
    register_site_directory,
)
from flowline.identity.models import Account, Membership
from flowline.identity.services.accounts import account_create  # noqa: F401  (re-exported)
from flowline.identity.services.api_keys import api_key_create  # noqa: F401  (re-exported)
from flowline.identity.services.export import register_exporter  # noqa: F401  (re-exported)
from flowline.identity.services.users import email_verification_send  # noqa: F401


def account_rate_limits_set(account_id: int, rates: dict[str, str]) -> None:
    """Store the throttle rates the account's plan sets (billing keeps them current)."""
    Account.objects.filter(id=account_id).update(rate_limits=rates)


def active_member_count(account_id: int) -> int:
    """The account's active members, for the plan's max_users."""
    return Membership.unscoped.filter(account_id=account_id, is_active=True).count()


def active_member_ids(
    *, account_id: int, user_ids: list[int] | None = None, roles: list[str] | None = None
) -> list[int]:
    """User ids of the account's active members (active users), narrowed to `user_ids`
    and to `roles` when given: nobody outside the account, whatever the caller passed."""
    members = Membership.unscoped.filter(
        account_id=account_id, is_active=True, user__is_active=True
    )
    if user_ids is not None:
        members = members.filter(user_id__in=user_ids)
    if roles is not None:
        members = members.filter(role__in=roles)
    return sorted(set(members.values_list("user_id", flat=True)))


@dataclass(frozen=True)
class BillingContact:
    """Who an account's invoices and payments are addressed to."""

    name: str
    email: str


def billing_contact(account_id: int) -> BillingContact:
    """The account's name and billing email (its owner's email when none is set)."""
    account = Account.objects.select_related("owner").get(id=account_id)
    return BillingContact(name=account.name, email=account.billing_email or account.owner.email)


def account_exists(account_id: int) -> bool:
    return Account.objects.filter(id=account_id).exists()


def is_member(user_id: int) -> bool:
    """Whether the user is a member of the active account (scoped)."""
    return Membership.objects.filter(user_id=user_id).exists()


def member_active_site_set(*, user_id: int, site_id: int) -> None:
    """Remember the member's current site in the active account (scoped)."""
    Membership.objects.filter(user_id=user_id).update(active_site_id=site_id)
