"""Celery tasks of the notifications app: thin wrappers over the services."""

from celery import shared_task

from flowline.jobs.public import backoff_seconds
from flowline.notifications.services import delivery, outbox


@shared_task(
    name="notifications.deliver",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    max_retries=5,
    soft_time_limit=120,
    time_limit=150,
)
def deliver_notifications(self, batch_id: str) -> dict:
    """Email and push one `notify()` call from the outbox; what failed for a passing
    reason is retried with backoff, what went out is not sent again."""
    try:
        return outbox.deliver(batch_id)
    except delivery.DeliveryIncomplete as exc:
        raise self.retry(exc=exc, countdown=backoff_seconds(self.request.retries + 1)) from exc


@shared_task(
    name="notifications.sweep_outbox", ignore_result=True, soft_time_limit=100, time_limit=120
)
def sweep_outbox() -> int:
    """Hand to a worker what the broker missed; forget what was sent a week ago."""
    outbox.purge()
    return outbox.sweep()
