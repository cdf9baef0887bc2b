"""User data export (004 `/user/export`): everything the user owns, as one JSON document."""

from collections.abc import Callable

from django.forms.models import model_to_dict
from django.utils import timezone

from flowline.identity.models import ApiKey, Membership, User

_exporters: dict[str, Callable[[User], object]] = {}


def register_exporter(name: str, export: Callable[[User], object]) -> None:
    """Let an app add its section to the export: `export(user) -> JSON-able data`."""
    _exporters[name] = export


def user_export(*, user: User) -> dict:
    profile = model_to_dict(
        user,
        fields=[
            "id",
            "email",
            "first_name",
            "last_name",
            "email_verified",
            "theme",
            "onboarding_state",
            "date_joined",
            "last_login",
        ],
    )
    profile["avatar"] = user.avatar.url if user.avatar else None
    memberships = list(
        Membership.unscoped.filter(user=user).values(
            "account_id", "account__name", "role", "is_active", "created_at"
        )
    )
    api_keys = list(
        ApiKey.unscoped.filter(created_by=user).values(
            "id", "account_id", "name", "prefix", "scopes", "created_at", "revoked_at"
        )
    )
    document = {
        "exported_at": timezone.now(),
        "profile": profile,
        "memberships": memberships,
        "api_keys": api_keys,
    }
    for name, export in _exporters.items():
        document[name] = export(user)
    return document
