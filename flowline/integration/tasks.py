"""Celery tasks: thin wrappers over the services."""

from flowline.core import leases
from flowline.integration.services import queue


@leases.sweep_task(
    "integration.publish_due", every=60, runs_for=queue.SWEEP_BUDGET_SECONDS + 240, grace=60
)
def publish_due() -> dict:
    """Publish every due item of the publish queue (beat runs it every 30 s)."""
    return queue.publish_due()
