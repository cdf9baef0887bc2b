"""The answer of every endpoint that starts a job: the job to follow and what it holds.

Clients follow `task_id` with `jobs/<id>/`, `system/settings/task_progress/<id>/` or the
`task_update` Socket.IO event; `credits_held` is charged when the job completes and given
back when it fails or is cancelled.
"""

from __future__ import annotations

from rest_framework import serializers

from flowline.core.serializers import Serializer
from flowline.core.viewsets import created


class TaskStarted(Serializer):
    task_id = serializers.UUIDField()
    status = serializers.CharField()
    credits_held = serializers.IntegerField()


def paid_job_started(job, *, message: str, held: int | None):
    """201 with the job's id, status and the credits held for it (billing's
    `credits_held(job_id)` tells them when the caller does not know them)."""
    return created(
        {"task_id": str(job.id), "status": job.status, "credits_held": held or 0}, message=message
    )
