"""What other apps may ask of identity: accounts, members, and the hooks apps above it
register (new accounts, seat checks, site access)."""

from __future__ import annotations

from flowline.identity.hooks import (  # noqa: F401  (re-exported)
    SiteDirectory,
    register_account_created_listener,
    register_seat_check,
    register_site_directory,
)
from flowline.identity.models import Membership
from flowline.identity.services.accounts import account_create  # noqa: F401  (re-exported)
from flowline.identity.services.api_keys import api_key_create  # noqa: F401  (re-exported)
from flowline.identity.services.export import register_exporter  # noqa: F401  (re-exported)
from flowline.identity.services.users import email_verification_send  # noqa: F401


def active_member_count(account_id: int) -> int:
    """The account's active members, for the plan's max_users."""
    return Membership.unscoped.filter(account_id=account_id, is_active=True).count()
