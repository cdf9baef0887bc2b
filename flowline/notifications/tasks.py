"""Celery tasks of the notifications app: thin wrappers over the services."""

from celery import shared_task

from flowline.jobs.services import backoff_seconds
from flowline.notifications.services import delivery


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
def deliver_notifications(self, batch: dict) -> dict:
    """Email and push one `notify()` call; what failed for a passing reason is retried
    with backoff, what went out is not sent again."""
    try:
        return delivery.deliver(batch)
    except delivery.DeliveryIncomplete as exc:
        raise self.retry(exc=exc, countdown=backoff_seconds(self.request.retries + 1)) from exc
