"""Reads about jobs."""

from __future__ import annotations

from flowline.jobs.models import Job


def jobs_running(*, limit: int = 5) -> list[Job]:
    """The active account's queued and running jobs, newest first."""
    return list(
        Job.objects.filter(status__in=(Job.Status.QUEUED, Job.Status.PROCESSING)).order_by(
            "-created_at"
        )[:limit]
    )
