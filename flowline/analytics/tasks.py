"""Celery tasks of the analytics app: thin wrappers over the services."""

from celery import shared_task

from flowline.analytics.services.rollup import rollup_pending


@shared_task(
    name="analytics.rollup",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=600,
    time_limit=660,
)
def rollup_daily_metrics() -> int:
    """Bring every account's daily rollups up to date; safe to run twice or in parallel
    (a day's rows are replaced as a whole, an account is marked clean only if unchanged)."""
    return len(rollup_pending())
