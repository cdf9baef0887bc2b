"""Email and Web Push for one `notify()` call, run by a Celery task after commit.

Each (channel, recipient) is claimed in the cache before it is sent, so a task that
runs again (a retry, a redelivered message) never sends twice what went out; what
failed for a passing reason is released and raises `DeliveryIncomplete` for a retry.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail

from flowline.core import leases
from flowline.notifications.models import PushSubscription
from flowline.notifications.services.push import TransientPushError, push_enabled, push_send
from flowline.notifications.services.rendering import absolute_link

logger = logging.getLogger("flowline.notifications")

CLAIM_SECONDS = 2 * 24 * 3600
# A batch that went out incomplete is handed to the task again after this wait (5 s
# doubling, at most 5 min, full jitter), six times in all.
RETRY = leases.Backoff(base=5.0, cap=300.0, jitter=(0.0, 1.0), max_attempts=6)


class DeliveryIncomplete(Exception):
    """Some sends failed for a passing reason; the rest went out."""


def _claim(batch_id: str, channel: str, target: int) -> str | None:
    key = f"notifications:sent:{batch_id}:{channel}:{target}"
    return key if cache.add(key, 1, timeout=CLAIM_SECONDS) else None


def deliver(batch: dict) -> dict:
    """Send the batch's emails and pushes; returns how many of each went out."""
    sent = {"email": 0, "push": 0}
    failures: list[str] = []
    rendered = batch["rendered"]
    users = get_user_model().objects.filter(id__in=batch["email"], is_active=True)
    for user in users.only("id", "email"):
        key = _claim(batch["batch_id"], "email", user.id)
        if key is None or not user.email:
            continue
        try:
            send_mail(
                rendered["email_subject"],
                rendered["email_body"] + "\n",
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
            sent["email"] += 1
        except (smtplib.SMTPException, OSError) as exc:
            cache.delete(key)
            failures.append(f"email to user {user.id}: {exc}")
    if batch["push"] and push_enabled():
        payload = {
            "type": batch["notification_type"],
            "title": rendered["title"],
            "body": rendered["body"],
            "link": absolute_link(batch["link"]),
        }
        subscriptions = PushSubscription.unscoped.filter(
            account_id=batch["account_id"], user_id__in=batch["push"]
        )
        for subscription in subscriptions:
            key = _claim(batch["batch_id"], "push", subscription.id)
            if key is None:
                continue
            notification_id = batch["notification_ids"].get(str(subscription.user_id))
            try:
                if push_send(subscription=subscription, payload={**payload, "id": notification_id}):
                    sent["push"] += 1
            except TransientPushError as exc:
                cache.delete(key)
                failures.append(f"push to subscription {subscription.id}: {exc}")
    if failures:
        logger.warning("Notification batch %s incomplete: %s", batch["batch_id"], failures)
        raise DeliveryIncomplete("; ".join(failures))
    return sent
