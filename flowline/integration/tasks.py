"""Celery tasks: thin wrappers over the services."""

from celery import shared_task

from flowline.integration.services import queue


@shared_task(
    name="integration.publish_due",
    ignore_result=True,
    expires=60,
    soft_time_limit=queue.SWEEP_BUDGET_SECONDS + 240,
    time_limit=queue.SWEEP_BUDGET_SECONDS + 300,
)
def publish_due() -> dict:
    """Publish every due item of the publish queue (beat runs it every 30 s)."""
    return queue.publish_due()
