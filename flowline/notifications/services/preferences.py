"""Which channels each user wants per notification type."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from flowline.core.errors import ApplicationError
from flowline.notifications.models import NotificationPreference, NotificationTemplate

CHANNELS = ("in_app", "email", "push")

# With no preference row: always in the app, pushed to browsers the user subscribed,
# and emailed only when something needs attention (a chat message or a finished job
# in every inbox would teach people to ignore Flowline's mail).
_EMAIL_BY_DEFAULT = frozenset(
    {"job_failed", "credits_low", "post_failed", "account_disconnected", "low_stock"}
)


@dataclass(frozen=True)
class Channels:
    in_app: bool
    email: bool
    push: bool


def default_channels(notification_type: str) -> Channels:
    return Channels(in_app=True, email=notification_type in _EMAIL_BY_DEFAULT, push=True)


def channels_for(*, account_id: int, user_ids: list[int], notification_type: str) -> dict:
    """{user_id: Channels} for each user, stored preference or default."""
    stored = {
        row.user_id: Channels(row.in_app, row.email, row.push)
        for row in NotificationPreference.unscoped.filter(
            account_id=account_id, user_id__in=user_ids, notification_type=notification_type
        )
    }
    fallback = default_channels(notification_type)
    return {user_id: stored.get(user_id, fallback) for user_id in user_ids}


def known_types() -> list[str]:
    return list(NotificationTemplate.objects.values_list("notification_type", flat=True))


def preferences_for(*, account_id: int, user_id: int) -> list[dict]:
    """Every known type with the user's channels, defaults filled in."""
    stored = {
        row.notification_type: row
        for row in NotificationPreference.unscoped.filter(account_id=account_id, user_id=user_id)
    }
    rows = []
    for notification_type in sorted(set(known_types()) | set(stored)):
        row = stored.get(notification_type)
        channels = (
            Channels(row.in_app, row.email, row.push)
            if row
            else default_channels(notification_type)
        )
        rows.append({"notification_type": notification_type, **channels.__dict__})
    return rows


@transaction.atomic
def preferences_update(
    *, account_id: int, user_id: int, changes: list[dict], partial: bool
) -> list[dict]:
    """Set channels per type. `partial` keeps channels a change leaves out; otherwise
    every channel must be given. Unknown types are refused, all or nothing."""
    types = set(known_types())
    unknown = sorted({c["notification_type"] for c in changes} - types)
    if unknown:
        raise ApplicationError(
            "Unknown notification type.",
            code="unknown_notification_type",
            errors={"notification_type": [f"Unknown type: {name}" for name in unknown]},
        )
    for change in changes:
        missing = [name for name in CHANNELS if name not in change]
        if missing and not partial:
            raise ApplicationError(
                "Give every channel, or use PATCH.",
                errors={name: ["This field is required."] for name in missing},
            )
        notification_type = change["notification_type"]
        current = default_channels(notification_type).__dict__
        row, created = NotificationPreference.objects.select_for_update().get_or_create(
            account_id=account_id,
            user_id=user_id,
            notification_type=notification_type,
            defaults={**current, **{k: change[k] for k in CHANNELS if k in change}},
        )
        if not created:
            for name in CHANNELS:
                if name in change:
                    setattr(row, name, change[name])
            row.save(update_fields=[*CHANNELS, "updated_at"])
    return preferences_for(account_id=account_id, user_id=user_id)
