"""What other apps call: register the events they raise, and emit them.

from flowline.webhooks.public import emit, register_event_type
register_event_type("post.published", "A social post went out on a platform.")
emit(account_id=post.account_id, event_type="post.published", payload={"id": post.id})
"""

from __future__ import annotations

import logging

from django.db import transaction

from flowline.webhooks import registry

logger = logging.getLogger("flowline.webhooks")


def register_event_type(name: str, description: str) -> None:
    """Make `name` subscribable (call it from your app's `AppConfig.ready()`)."""
    registry.register(name, description)


def event_types() -> list[tuple[str, str]]:
    """Every registered event type as (name, description), by name."""
    from flowline.webhooks.selectors import event_types_for_list

    return [(row["name"], row["description"]) for row in event_types_for_list()]


def emit(*, account_id: int, event_type: str, payload: dict) -> int:
    """Queue the event for every active endpoint of the account subscribed to it;
    returns how many deliveries were queued.

    The deliveries are rows written in the caller's transaction (a rollback takes them
    back) and sent by a worker once it commits; if the broker is down the periodic sweep
    sends them. `payload` must be JSON-serialisable. Raises ValueError for an event
    type nobody registered.
    """
    from flowline.webhooks.services import deliveries_create

    if not registry.event_type_exists(event_type):
        raise ValueError(f"Unknown webhook event type {event_type!r}; register it first.")
    created = deliveries_create(account_id=account_id, event_type=event_type, payload=payload)
    if created:
        ids = [row.id for row in created]
        transaction.on_commit(lambda: _enqueue(ids))
    return len(created)


def _enqueue(ids: list[int]) -> None:
    from flowline.webhooks.tasks import deliver

    for delivery_id in ids:
        try:
            deliver.apply_async((delivery_id,), retry=False)
        except Exception:  # broker down: the periodic sweep sends it (it is due)
            logger.warning("Broker unavailable; delivery %s waits for the sweep", delivery_id)
