"""Raise notifications, and the reads and writes users do on their own ones."""

from __future__ import annotations

import logging
import uuid

import orjson
from django.db import transaction
from django.utils import timezone

from flowline.core.roles import Role
from flowline.identity.public import active_member_ids
from flowline.notifications.models import Notification, PendingDelivery, PushSubscription
from flowline.notifications.selectors import channels_for
from flowline.notifications.services import outbox
from flowline.notifications.services.push import push_enabled
from flowline.notifications.services.rendering import render

logger = logging.getLogger("flowline.notifications")


def recipients(*, account_id: int, user_ids: list[int] | None) -> list[int]:
    """Active members of the account among `user_ids`; its admins and owners for None.
    Nobody outside the account is ever notified, whatever the caller passed."""
    roles = [Role.OWNER, Role.ADMIN] if user_ids is None else None
    return active_member_ids(account_id=account_id, user_ids=user_ids, roles=roles)


def _json_safe(context: dict) -> dict:
    """The context as JSON (ids, Decimals and dates become plain values)."""
    return orjson.loads(orjson.dumps(context, default=str, option=orjson.OPT_NON_STR_KEYS))


def notify(
    *,
    account_id: int,
    user_ids: list[int] | None,
    notification_type: str,
    context: dict,
    link: str = "",
) -> int:
    """Render, store, announce live; email and push after commit. Returns how many users
    it reached on at least one channel (see `flowline.notifications.public.notify`)."""
    users = recipients(account_id=account_id, user_ids=user_ids)
    if not users:
        return 0
    rendered = render(notification_type, context, link=link)
    channels = channels_for(
        account_id=account_id, user_ids=users, notification_type=notification_type
    )
    data = _json_safe(context)
    with transaction.atomic():
        rows = Notification.unscoped.bulk_create(
            [
                Notification(
                    account_id=account_id,
                    user_id=user_id,
                    notification_type=notification_type,
                    title=rendered.title,
                    body=rendered.body,
                    data=data,
                    link=link[:500],
                )
                for user_id in users
                if channels[user_id].in_app
            ]
        )
        batch = {
            "batch_id": uuid.uuid4().hex,
            "account_id": account_id,
            "notification_type": notification_type,
            "link": link,
            "rendered": rendered.__dict__,
            "notification_ids": {str(row.user_id): row.id for row in rows},
            "email": [user_id for user_id in users if channels[user_id].email],
            "push": _with_browsers(account_id, [u for u in users if channels[u].push]),
        }
        if batch["email"] or batch["push"]:
            # In the same transaction as the notifications: if the broker is down at
            # commit, the sweep sends it later; if the caller rolls back, nothing goes.
            PendingDelivery.unscoped.create(
                account_id=account_id, batch_id=batch["batch_id"], batch=batch
            )
            transaction.on_commit(lambda: outbox.enqueue(batch["batch_id"]))
    if rows:
        from flowline.notifications import events

        transaction.on_commit(lambda: events.announce(rows))
    reached = {row.user_id for row in rows} | set(batch["email"]) | set(batch["push"])
    return len(reached)


def _with_browsers(account_id: int, user_ids: list[int]) -> list[int]:
    """The users who subscribed a browser to Web Push (no task for the others)."""
    if not user_ids or not push_enabled():
        return []
    subscribed = PushSubscription.unscoped.filter(account_id=account_id, user_id__in=user_ids)
    return sorted(set(subscribed.values_list("user_id", flat=True)))


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one notification read (idempotent: the first read time stays)."""
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(id=notification.id, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, account_id: int, user_id: int) -> int:
    """Mark every unread notification of the user in the account read; how many."""
    return Notification.objects.filter(
        account_id=account_id, user_id=user_id, read_at__isnull=True
    ).update(read_at=timezone.now())
