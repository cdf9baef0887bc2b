"""`task_update` events: a job's state as the 004 AgentTask object, to its user, its
account and its own `job_<uuid>` room (the one the API guide tells clients to join)."""

from __future__ import annotations

from flowline.jobs import timings
from flowline.jobs.models import Job
from flowline.realtime.public import register_room_kind


def job_event(job: Job) -> dict:
    return {
        "id": str(job.id),
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "phase": job.phase,
        "message": job.message,
        "error": job.error or None,
        "error_code": job.error_code or None,
        "result": job.result if job.is_finished else None,
        "target_type": job.target_type or None,
        "target_id": job.target_id or None,
        "filename": (job.payload or {}).get("filename"),
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def publish_job(job: Job) -> None:
    from flowline.realtime.public import publish

    rooms = [f"job_{job.id}", f"account_{job.account_id}"]
    if job.user_id:
        rooms.append(f"user_{job.user_id}")
    with timings.phase("events"):
        publish("task_update", job_event(job), rooms=rooms)


def _may_join(account_id: int, user_id: int, ident: str) -> bool:
    try:
        return Job.unscoped.filter(id=ident, account_id=account_id).exists()
    except Exception:  # not a UUID
        return False


def _snapshot(ident: str) -> list[tuple[str, dict]]:
    """The job's state now, from its row: the durable record of its last event."""
    job = Job.unscoped.filter(id=ident).first()
    return [("task_update", job_event(job))] if job else []


register_room_kind("job", _may_join, snapshot=_snapshot)
