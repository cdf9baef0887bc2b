"""Starting, running, cancelling and recovering jobs.

A job is claimed with a conditional update, so however often the broker delivers its
message (retries, a restart, a redelivery after a killed worker) one worker runs it at a
time, and a finished job never runs again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from flowline.core import leases, tenancy
from flowline.core.errors import ConflictError
from flowline.jobs import handlers, timings
from flowline.jobs.events import publish_job
from flowline.jobs.models import Job

logger = logging.getLogger("flowline.jobs")
# Exponential backoff with full jitter (5 s doubling, at most 5 min); a provider's
# Retry-After wins. Attempts are bounded per kind (`Job.max_attempts`).
RETRY = leases.Backoff(base=5.0, cap=300.0, jitter=(0.0, 1.0))

_finish_listeners: list[Callable[[Job], None]] = []


def register_finish_listener(listener: Callable[[Job], None]) -> None:
    """Call `listener(job)` after a job ends (billing charges, webhooks, notifications)."""
    _finish_listeners.append(listener)


def job_start(
    *,
    kind: str,
    account_id: int,
    user_id: int | None = None,
    payload: dict | None = None,
    target: tuple[str, object] | None = None,
    idempotency_key: str | None = None,
) -> Job:
    """Persist a queued job and hand it to the workers once the transaction commits.

    The same idempotency key from the same user with the same request returns the first
    job; with another request it is a 409. Keys are per user in the account, as the
    `Idempotency-Key` header is (core.idempotency): a colleague's key is not ours.
    """
    job_kind = handlers.kind(kind)
    payload = payload or {}
    if idempotency_key:
        existing = Job.unscoped.filter(
            account_id=account_id, user_id=user_id, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return _same_request(existing, kind, payload)
    try:
        with timings.phase("job_insert"), transaction.atomic():
            job = Job.unscoped.create(
                account_id=account_id,
                user_id=user_id,
                kind=kind,
                payload=payload,
                max_attempts=job_kind.max_attempts,
                idempotency_key=idempotency_key or None,
                target_type=target[0] if target else "",
                target_id=str(target[1]) if target else "",
            )
    except IntegrityError:
        existing = Job.unscoped.get(
            account_id=account_id, user_id=user_id, idempotency_key=idempotency_key
        )
        return _same_request(existing, kind, payload)
    transaction.on_commit(lambda: _after_start(job))
    return job


def _same_request(job: Job, kind: str, payload: dict) -> Job:
    if job.kind != kind or job.payload != payload:
        raise ConflictError(
            "This Idempotency-Key was used for a different request.", code="idempotency_key_reused"
        )
    return job


def _after_start(job: Job) -> None:
    publish_job(job)
    with timings.phase("enqueue"):
        enqueue(job.id)
    timings.flush("start", job.id)


def enqueue(job_id, *, countdown: float | None = None) -> bool:
    """Send the job to the broker and note when (`sent_at`). If the broker is down the job
    stays queued in the database, unsent, and `recover()` sends it later: nothing is lost,
    nothing fails."""
    from flowline.jobs.tasks import run_job

    try:
        run_job.apply_async((str(job_id),), countdown=countdown, retry=False)
    except Exception:  # broker unreachable: the row is the source of truth
        logger.warning(
            "Broker unavailable; job %s stays queued for recovery", job_id, exc_info=True
        )
        Job.unscoped.filter(id=job_id).update(sent_at=None)
        return False
    Job.unscoped.filter(id=job_id).update(sent_at=timezone.now())
    return True


def job_cancel(*, job: Job) -> Job:
    """Cancel a queued job at once; ask a running one to stop at its next progress step."""
    now = timezone.now()
    if Job.unscoped.filter(id=job.id, status=Job.Status.QUEUED).update(
        status=Job.Status.CANCELLED, cancel_requested=True, finished_at=now, message="Cancelled."
    ):
        job.refresh_from_db()
        _finished(job)
        return job
    Job.unscoped.filter(id=job.id, status=Job.Status.PROCESSING).update(cancel_requested=True)
    job.refresh_from_db()
    return job


class JobContext:
    """What a handler gets: its payload, and ways to report progress and notice a cancel."""

    def __init__(self, job: Job):
        self.job = job
        self.id = job.id
        self.account_id = job.account_id
        self.user_id = job.user_id
        self.payload = job.payload
        self.attempt = job.attempts

    def progress(
        self, percentage: int, *, phase: str | None = None, message: str | None = None
    ) -> None:
        """Record progress (0-100) and push it out; raises JobCancelled when asked to stop."""
        fields = {"progress": max(0, min(100, int(percentage))), "heartbeat_at": timezone.now()}
        if phase is not None:
            fields["phase"] = phase[:100]
        if message is not None:
            fields["message"] = message[:500]
        with timings.phase("progress_write"):
            # One statement records the progress and sees a cancel: a cancelled job's
            # row is left as it is, and only then is the reason looked up.
            written = Job.unscoped.filter(
                id=self.id, status=Job.Status.PROCESSING, cancel_requested=False
            ).update(**fields)
        if not written:
            self.check_cancelled()
        for name, value in fields.items():
            setattr(self.job, name, value)
        publish_job(self.job)

    def check_cancelled(self) -> None:
        with timings.phase("cancel_check"):
            cancelled = Job.unscoped.filter(id=self.id, cancel_requested=True).exists()
        if cancelled:
            raise handlers.JobCancelled()


def lease() -> leases.Lease:
    """A running job whose worker stopped beating for this long is taken over."""
    return leases.Lease(settings.FLOWLINE_JOB_STALE_SECONDS)


def _claim(job_id) -> Job | None:
    """Take the job for this worker: a queued one, or a running one whose worker died."""
    now = timezone.now()
    stale = lease().abandoned_before(now)
    claimed = Job.unscoped.filter(
        Q(status=Job.Status.QUEUED) | Q(status=Job.Status.PROCESSING, heartbeat_at__lt=stale),
        id=job_id,
    ).update(
        status=Job.Status.PROCESSING,
        attempts=F("attempts") + 1,
        heartbeat_at=now,
        started_at=Coalesce(F("started_at"), now),
        run_after=None,
    )
    return Job.unscoped.get(id=job_id) if claimed else None


def _beating(job: Job):
    """Keeps a running job's heartbeat fresh while the block runs."""
    return lease().renewing(
        lambda: Job.unscoped.filter(id=job.id, status=Job.Status.PROCESSING).update(
            heartbeat_at=timezone.now()
        ),
        name=f"job-heartbeat-{job.id}",
    )


def run(job_id) -> str:
    """Run one job to its end (the body of the Celery task). Returns what happened."""
    try:
        with timings.phase("run_other"):
            return _run(job_id)
    finally:
        timings.flush("run", job_id)


def _run(job_id) -> str:
    with timings.phase("claim"):
        job = _claim(job_id)
    if job is None:
        if Job.unscoped.filter(id=job_id, status=Job.Status.PROCESSING).exists():
            # Another worker has it, alive as far as we know. Dropping this message could
            # lose the job if that worker is in fact dead, so look again once it would be stale.
            enqueue(job_id, countdown=settings.FLOWLINE_JOB_STALE_SECONDS)
            return "watching"
        return "skipped"
    if job.cancel_requested:
        _end(job, Job.Status.CANCELLED, message="Cancelled.")
        return "cancelled"
    publish_job(job)
    context = JobContext(job)
    try:
        job_kind = handlers.kind(job.kind)
        with (
            tenancy.tenant_scope(job.account_id, user_id=job.user_id),
            _beating(job),
            timings.phase("handler"),
        ):
            result = job_kind.run(context)
    except handlers.JobCancelled:
        _end(job, Job.Status.CANCELLED, message="Cancelled.")
        return "cancelled"
    except handlers.TransientJobError as exc:
        return _retry_or_fail(job, str(exc), exc.code, exc.retry_after)
    except handlers.PermanentJobError as exc:
        _end(job, Job.Status.FAILED, error=str(exc), error_code=exc.code)
        return "failed"
    except Exception as exc:
        code = getattr(exc, "code", None) or type(exc).__name__
        if getattr(exc, "transient", False):
            return _retry_or_fail(job, str(exc), str(code), getattr(exc, "retry_after", None))
        logger.exception("Job %s (%s) failed", job.id, job.kind)
        _end(job, Job.Status.FAILED, error=str(exc) or type(exc).__name__, error_code=str(code))
        return "failed"
    _end(job, Job.Status.COMPLETED, result=result or {}, progress=100, message="Completed.")
    return "completed"


def _retry_or_fail(job: Job, error: str, code: str, retry_after: float | None) -> str:
    if RETRY.exhausted(job.attempts, job.max_attempts):
        _end(job, Job.Status.FAILED, error=error, error_code=code)
        return "failed"
    delay = RETRY.seconds(job.attempts, retry_after)
    Job.unscoped.filter(id=job.id, status=Job.Status.PROCESSING).update(
        status=Job.Status.QUEUED,
        run_after=timezone.now() + timedelta(seconds=delay),
        message=f"Retrying after a temporary error: {error}"[:500],
        error_code=code,
    )
    job.refresh_from_db()
    publish_job(job)
    enqueue(job.id, countdown=delay)
    return "retrying"


def _end(job: Job, status: str, **fields) -> None:
    fields.update(status=status, finished_at=timezone.now())
    with timings.phase("end_write"):
        ended = Job.unscoped.filter(id=job.id, status=Job.Status.PROCESSING).update(**fields)
    if ended:
        # The row is what this worker made it (it held the job): no need to read it back.
        for name, value in fields.items():
            setattr(job, name, value)
        _finished(job)


def _finished(job: Job) -> None:
    # Listeners first (credits settled, webhooks queued), so a client that sees the
    # final task_update already sees its consequences.
    for listener in _finish_listeners:
        try:
            with timings.phase(f"finish:{getattr(listener, '__qualname__', 'listener')}"):
                listener(job)
        except Exception:  # one listener must not keep the others from hearing
            logger.exception("Job finish listener %r failed for %s", listener, job.id)
    publish_job(job)


def recover(*, now=None, resend_after: float | None = None) -> int:
    """Send again the jobs whose message is plausibly lost: queued and never sent, or sent
    (and due) longer than `resend_after` seconds ago without a worker claiming them; or
    running with a dead heartbeat and not resent lately. A message still waiting in the
    broker is left alone, so a backlog does not grow by its own size at each run.

    `resend_after=0` resends every queued job: for a broker that forgot everything (the
    embedded in-memory one, at start). Claiming keeps this safe on any node, at any time.
    """
    now = now or timezone.now()
    if resend_after is None:
        resend_after = settings.FLOWLINE_JOB_RESEND_SECONDS
    overdue = now - timedelta(seconds=resend_after)
    stale = lease().abandoned_before(now)
    due = Q(run_after__isnull=True) | Q(run_after__lte=now)
    overdue_message = Q(sent_at__lte=overdue) & (
        Q(run_after__isnull=True) | Q(run_after__lte=overdue)
    )
    lost = Q(status=Job.Status.QUEUED) & due & (Q(sent_at__isnull=True) | overdue_message) | Q(
        status=Job.Status.PROCESSING, heartbeat_at__lt=stale
    ) & (
        # its last message was consumed by the worker that died (sent before it last beat)
        Q(sent_at__isnull=True) | Q(sent_at__lt=F("heartbeat_at")) | overdue_message
    )
    count = 0
    for job_id in Job.unscoped.filter(lost).values_list("id", flat=True).iterator():
        # Take the resend with a conditional update: two nodes recovering at once send once.
        if Job.unscoped.filter(lost, id=job_id).update(sent_at=now):
            count += enqueue(job_id)
            _say_if_stalled(job_id, stale)
    return count


def _say_if_stalled(job_id, stale) -> None:
    """A running job whose worker went silent says so until another worker takes it."""
    if Job.unscoped.filter(id=job_id, status=Job.Status.PROCESSING, heartbeat_at__lt=stale).update(
        message="Its worker stopped responding; another worker is taking it over."
    ):
        publish_job(Job.unscoped.get(id=job_id))


@contextmanager
def job_tracked(
    *,
    kind: str,
    account_id: int,
    user_id: int | None = None,
    payload: dict | None = None,
    target: tuple[str, object] | None = None,
):
    """A job row for a step another job runs inline (an agent's file, say): it shows in
    `jobs/` and sends task_update events like any job, and ends with the block."""
    now = timezone.now()
    job = Job.unscoped.create(
        account_id=account_id,
        user_id=user_id,
        kind=kind,
        payload=payload or {},
        status=Job.Status.PROCESSING,
        attempts=1,
        started_at=now,
        heartbeat_at=now,
        target_type=target[0] if target else "",
        target_id=str(target[1]) if target else "",
    )
    publish_job(job)
    context = JobContext(job)
    try:
        # It beats like a job a worker runs: a step longer than the stale period (a slow
        # model) must not look abandoned, or recovery hands it to a worker with no handler.
        with _beating(job):
            yield context
    except handlers.JobCancelled:
        _end(job, Job.Status.CANCELLED, message="Cancelled.")
        raise
    except Exception as exc:
        _end(
            job,
            Job.Status.FAILED,
            error=str(exc) or type(exc).__name__,
            error_code=str(getattr(exc, "code", "") or type(exc).__name__),
        )
        raise
    else:
        _end(
            job,
            Job.Status.COMPLETED,
            progress=100,
            message="Completed.",
            result=context.job.result or {},
        )
