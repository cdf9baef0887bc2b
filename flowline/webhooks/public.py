"""What other apps call: register the events they raise, and emit them."""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger("flowline.webhooks")

EVENT_TYPES: dict[str, str] = {}


def register_event_type(name: str, description: str) -> None:
    EVENT_TYPES[name] = description


for _name, _description in {
    "job.completed": "A background job completed.",
    "job.failed": "A background job failed for good.",
    "post.published": "A social post went out on a platform.",
    "post.failed": "A social post could not be published.",
    "credits.low": "The credit balance dropped to the account's threshold.",
    "message.received": "A customer sent a chat message.",
    "ping": "A test event sent from the API.",
}.items():
    register_event_type(_name, _description)


def emit(*, account_id: int, event_type: str, payload: dict) -> int:
    """Queue one delivery per active endpoint subscribed to `event_type`; they are sent
    after the caller's transaction commits. Returns how many were queued."""
    from flowline.webhooks.services import deliveries_create

    if event_type not in EVENT_TYPES:
        raise ValueError(f"Unknown webhook event type {event_type!r}; register it first.")
    created = deliveries_create(account_id=account_id, event_type=event_type, payload=payload)
    if created:
        from flowline.webhooks.tasks import deliver

        ids = [row.id for row in created]
        transaction.on_commit(lambda: [_send(deliver, pk) for pk in ids])
    return len(created)


def _send(task, delivery_id: int) -> None:
    try:
        task.delay(delivery_id)
    except Exception:  # broker down: the periodic sweep sends it (next_attempt_at is due)
        logger.warning("Broker unavailable; delivery %s waits for the sweep", delivery_id)
