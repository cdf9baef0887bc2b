"""Celery tasks: thin wrappers over the services. The first attempt goes right away;
retries, and anything the broker lost, go out from the periodic sweep."""

from celery import shared_task

from flowline.core import leases
from flowline.webhooks import services


@shared_task(
    name="webhooks.deliver",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=60,
    time_limit=90,
)
def deliver(delivery_id: int) -> str:
    """The delivery's next attempt, if it is still due (a repeat is skipped)."""
    return services.deliver(delivery_id)


@leases.sweep_task(
    "webhooks.deliver_due", every=60, runs_for=services.SWEEP_BUDGET_SECONDS + 60, grace=30
)
def deliver_due() -> dict:
    """Every due attempt (beat runs it every 30 s)."""
    return services.deliver_due()
