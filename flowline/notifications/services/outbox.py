"""The email/push outbox: rows written with the notifications, handed to Celery after
commit, marked sent by the task, and swept back to a worker when the broker was down.

A batch handed over twice (the sweep and a late message) is still sent once per
recipient: `delivery.deliver` claims each (channel, recipient) before sending.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone

from flowline.core import leases
from flowline.notifications.models import PendingDelivery
from flowline.notifications.services import delivery

logger = logging.getLogger("flowline.notifications")

# A row the broker has had for this long without being sent is handed over again.
HANDED_OVER = leases.Lease(120)
# A batch still unsent after this many hand-overs (at least a lease apart, so two
# hours or more) is left for staff to see in the admin with its last error.
MAX_SWEEPS = 60


def enqueue(batch_id: str) -> bool:
    """Hand one batch to a worker; False (and the row stays for the sweep) when the
    broker cannot take it."""
    from flowline.notifications.tasks import deliver_notifications

    try:
        deliver_notifications.apply_async((batch_id,), retry=False)
    except Exception:  # broker down: the outbox row is the source of truth
        logger.warning("Broker unavailable; delivery %s waits for the sweep", batch_id)
        return False
    PendingDelivery.unscoped.filter(batch_id=batch_id).update(enqueued_at=timezone.now())
    return True


def deliver(batch_id: str) -> dict:
    """Send a pending batch (the task's body); a sent or unknown batch is a no-op."""
    row = PendingDelivery.unscoped.filter(batch_id=batch_id, sent_at__isnull=True).first()
    if row is None:
        return {"email": 0, "push": 0}
    try:
        sent = delivery.deliver(row.batch)
    except delivery.DeliveryIncomplete as exc:
        PendingDelivery.unscoped.filter(id=row.id).update(last_error=str(exc)[:500])
        raise
    PendingDelivery.unscoped.filter(id=row.id).update(sent_at=timezone.now(), last_error="")
    return sent


def sweep(*, now=None) -> int:
    """Hand over again the batches the broker never took or a worker never finished.
    Returns how many were handed over."""
    now = now or timezone.now()
    abandoned_before = HANDED_OVER.abandoned_before(now)
    stale = PendingDelivery.unscoped.filter(
        sent_at__isnull=True, created_at__lte=abandoned_before, sweeps__lt=MAX_SWEEPS
    ).exclude(enqueued_at__gt=abandoned_before)
    handed = 0
    for row in stale.only("id", "batch_id", "sweeps")[:500]:
        PendingDelivery.unscoped.filter(id=row.id).update(sweeps=row.sweeps + 1)
        handed += enqueue(row.batch_id)
    return handed


def purge(*, now=None, keep=timedelta(days=7)) -> int:
    """Forget sent batches after a week (the notifications themselves stay)."""
    now = now or timezone.now()
    deleted, _ = PendingDelivery.unscoped.filter(sent_at__lte=now - keep).delete()
    return deleted
