"""Periodic work of campaigns."""

from __future__ import annotations

from celery import shared_task

from flowline.campaigns.services import campaigns_advance


@shared_task(
    name="campaigns.advance", ignore_result=True, expires=60, soft_time_limit=100, time_limit=120
)
def advance() -> dict:
    """Start and complete campaigns as their windows pass (SOCIAL_BEAT_SCHEDULE)."""
    return campaigns_advance()
