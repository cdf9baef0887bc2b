"""What other apps may ask of jobs: start, cancel and run jobs, declare job kinds
(`job_handler`), hear of finished jobs, time a step of starting one (`job_phase`)."""

from flowline.jobs.api.started import TaskStarted, paid_job_started  # noqa: F401
from flowline.jobs.handlers import (  # noqa: F401  (re-exported)
    JobCancelled,
    PermanentJobError,
    job_handler,
    kind,
)
from flowline.jobs.models import Job
from flowline.jobs.services import (  # noqa: F401  (re-exported)
    job_cancel,
    job_start,
    job_tracked,
    register_finish_listener,
    run,
)
from flowline.jobs.timings import phase as job_phase  # noqa: F401  (re-exported)

JobStatus = Job.Status


def job_find(job_id, *, kind_prefix: str = "") -> Job | None:
    """A job of the active account (scoped) whose kind starts with `kind_prefix`, or None
    (also when `job_id` is not a UUID)."""
    import uuid

    try:
        uuid.UUID(str(job_id))
    except ValueError:
        return None
    return Job.objects.filter(id=job_id, kind__startswith=kind_prefix).first()


def job_cancel_if_queued(job_id) -> None:
    """Cancel the job while it still waits in the queue (a started one runs on)."""
    job = Job.unscoped.filter(id=job_id, status=Job.Status.QUEUED).first()
    if job is not None:
        job_cancel(job=job)


def jobs_finished_before(*, job_kind: str, cutoff, limit: int) -> list[tuple]:
    """(id, result) of up to `limit` jobs of `job_kind`, of every account, that finished
    before `cutoff`, oldest first: what a sweep of their outputs removes."""
    finished = Job.unscoped.filter(kind=job_kind, finished_at__lt=cutoff).order_by("finished_at")
    return list(finished.values_list("id", "result")[:limit])


def jobs_delete(job_ids) -> None:
    """Delete these jobs (their outputs already removed)."""
    Job.unscoped.filter(id__in=list(job_ids)).delete()
