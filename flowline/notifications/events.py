"""The live `notification` event: the notification as the API shows it, plus the
recipient's unread count, to the `user_{id}` room."""

from __future__ import annotations

from django.db.models import Count

from flowline.notifications.models import Notification
from flowline.realtime.public import publish


def announce(rows: list[Notification]) -> None:
    from flowline.notifications.api.serializers import NotificationSerializer

    if not rows:
        return
    account_id = rows[0].account_id
    unread = dict(
        Notification.unscoped.filter(
            account_id=account_id,
            user_id__in=[row.user_id for row in rows],
            read_at__isnull=True,
        )
        .values_list("user_id")
        .annotate(total=Count("id"))
    )
    for row in rows:
        payload = dict(NotificationSerializer(row).data)
        payload["account_id"] = row.account_id
        payload["unread_count"] = unread.get(row.user_id, 0)
        publish("notification", payload, rooms=f"user_{row.user_id}")
