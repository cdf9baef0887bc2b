"""Reads about users and accounts, with their queries kept small and explicit."""

from __future__ import annotations

from django.db.models import QuerySet

from flowline.core.tenancy import TenantContext
from flowline.identity.models import Account, ApiKey, ApiKeyUsage, Membership, User


def me_payload(*, user: User, membership: Membership, ctx: TenantContext) -> dict:
    """What `auth/me/` and login answer: the user, their role, accounts and sites."""
    from flowline.identity.hooks import site_directory

    memberships = (
        Membership.unscoped.filter(user=user, is_active=True)
        .select_related("account")
        .order_by("id")
    )
    accounts, active = [], None
    for row in memberships:
        accounts.append({"id": row.account_id, "name": row.account.name, "role": row.role})
        if row.account_id == membership.account_id:
            active = row.account
    return {
        "id": user.id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email_verified": user.email_verified,
        "avatar": user.avatar.url if user.avatar else None,
        "theme": user.theme,
        "onboarding_state": user.onboarding_state,
        "is_staff": user.is_staff,
        "role": membership.role,
        "account": {
            "id": active.id,
            "name": active.name,
            "status": active.status,
            "billing_email": active.billing_email,
            "timezone": active.timezone,
            "language": active.language,
            "owner": active.owner_id,
            "created_at": active.created_at,
        },
        "accounts": accounts,
        "accessible_sites": site_directory().accessible_sites(ctx),
    }


def member_accounts(*, user: User) -> list[dict]:
    """The accounts the user is an active member of, oldest first, with their role."""
    rows = (
        Membership.unscoped.filter(user=user, is_active=True)
        .select_related("account")
        .order_by("id")
        .only("account_id", "role", "account__name")
    )
    return [{"id": m.account_id, "name": m.account.name, "role": m.role} for m in rows]


_usage_counters: dict = {}


def register_usage_counter(name: str, count) -> None:
    """Let an app add a figure to `account/usage/analytics/`: `count(account_id) -> int`."""
    _usage_counters[name] = count


def usage_analytics(*, account_id: int, days: int = 30) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from flowline.identity.models import ApiKeyUsage

    since = timezone.now() - timedelta(days=days)
    figures = {
        "members": Membership.unscoped.filter(account_id=account_id, is_active=True).count(),
        "api_requests": ApiKeyUsage.objects.filter(
            api_key__account_id=account_id, created_at__gte=since
        ).count(),
    }
    for name, count in _usage_counters.items():
        figures[name] = count(account_id)
    return {"period_days": days, "usage": figures}


def accounts_of_user(*, user: User | None) -> QuerySet[Account]:
    """The accounts the user is an active member of, oldest first (none for None: the
    schema generator's fake request has no user)."""
    if user is None:
        return Account.objects.none()
    return Account.objects.filter(memberships__user=user, memberships__is_active=True).order_by(
        "id"
    )


def role_in_account(*, account: Account, user: User) -> str:
    """The user's role in the account, or "" when they are not a member (across
    accounts: the accounts list is not tenant-scoped)."""
    return (
        Membership.unscoped.filter(account=account, user=user)
        .values_list("role", flat=True)
        .first()
        or ""
    )


def account_get(*, account_id: int) -> Account:
    """The account `account_id` (the active one: its id comes from the tenant scope)."""
    return Account.objects.get(pk=account_id)


def api_key_usage(*, api_key: ApiKey) -> QuerySet[ApiKeyUsage]:
    """An API key's usage rows (the model's order)."""
    return ApiKeyUsage.objects.filter(api_key=api_key)
