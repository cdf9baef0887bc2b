"""Periodic work of social accounts."""

from __future__ import annotations

from celery import shared_task

from flowline.social.services import health


@shared_task(
    name="social.refresh_tokens",
    ignore_result=True,
    expires=600,
    soft_time_limit=540,
    time_limit=600,
)
def refresh_tokens() -> dict:
    """Refresh tokens ahead of expiry (SOCIAL_BEAT_SCHEDULE, every 15 minutes)."""
    return health.refresh_due_tokens()
