"""Reads about jobs."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from flowline.jobs.models import Job


def jobs_running(*, limit: int = 5) -> list[Job]:
    """The active account's queued and running jobs, newest first."""
    return list(
        Job.objects.filter(status__in=(Job.Status.QUEUED, Job.Status.PROCESSING)).order_by(
            "-created_at"
        )[:limit]
    )


def job_get(*, job_id) -> Job | None:
    """A job of the active account, or None (also when `job_id` is not a UUID)."""
    try:
        return Job.objects.filter(id=job_id).first()
    except ValidationError:
        return None
