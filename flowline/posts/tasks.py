"""Celery tasks: thin wrappers over the services (beat runs them; any worker may)."""

from celery import shared_task

from flowline.core import leases
from flowline.posts.services import metrics, publishing


@leases.sweep_task("posts.publish_due", every=30, runs_for=120, grace=30)
def publish_due() -> dict:
    """Publish what is due (beat: every FLOWLINE_POSTS_TICK_SECONDS). Safe on any number
    of workers at once: each target is claimed by exactly one."""
    return publishing.publish_due()


@shared_task(
    name="posts.fetch_metrics",
    ignore_result=True,
    expires=240,
    soft_time_limit=240,
    time_limit=270,
)
def fetch_metrics() -> dict:
    """Reach and engagement of recently published targets, from each platform."""
    return metrics.metrics_fetch()
