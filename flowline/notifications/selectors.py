"""Reads of notifications: a user's own rows, their unread count, and the channels each
user wants per notification type (stored preference or default)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from flowline.notifications.models import Notification, NotificationPreference, NotificationTemplate


def rows_of_user(queryset: QuerySet, *, user_id: int) -> QuerySet:
    """Only the user's own notifications or browsers: other users' do not exist for them
    (404), whatever their role."""
    return queryset.filter(user_id=user_id)


def unread_count(*, account_id: int, user_id: int) -> int:
    """How many of the user's notifications in the account are unread."""
    return Notification.objects.filter(
        account_id=account_id, user_id=user_id, read_at__isnull=True
    ).count()


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
