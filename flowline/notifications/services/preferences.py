"""Which channels each user wants per notification type."""

from __future__ import annotations

from django.db import transaction

from flowline.core.errors import ApplicationError
from flowline.notifications.models import NotificationPreference
from flowline.notifications.selectors import default_channels, known_types, preferences_for

CHANNELS = ("in_app", "email", "push")


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
