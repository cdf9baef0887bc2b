"""Automation control: a site's config, starting a run (now or on schedule), pause,
resume and cancel. One open run per site, checked here and enforced by the database."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from flowline.automation import events, selectors
from flowline.automation.models import AutomationConfig, AutomationRun
from flowline.automation.services.pipeline import KIND, log
from flowline.billing import public as billing
from flowline.core import tenancy
from flowline.core.errors import ApplicationError, ConflictError, PaymentRequiredError
from flowline.jobs.public import JobStatus, job_cancel_if_queued, job_start

Status = AutomationRun.Status
Frequency = AutomationConfig.Frequency
PERIOD = {
    Frequency.HOURLY: timedelta(hours=1),
    Frequency.DAILY: timedelta(days=1),
    Frequency.WEEKLY: timedelta(days=7),
}


def next_occurrence(config: AutomationConfig, after: datetime) -> datetime:
    """The first scheduled time strictly after `after` (UTC): at `scheduled_time` each day
    or week, or at its minute each hour."""
    at = config.scheduled_time
    if isinstance(at, str):
        at = time.fromisoformat(at)
    after = after.astimezone(UTC)
    if config.frequency == Frequency.HOURLY:
        candidate = after.replace(minute=at.minute, second=0, microsecond=0)
        return candidate if candidate > after else candidate + timedelta(hours=1)
    candidate = after.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return candidate if candidate > after else candidate + timedelta(days=1)


@transaction.atomic
def config_update(*, site, user_id: int | None, now=None, **fields) -> AutomationConfig:
    """Change a site's automation; turning the schedule on (or moving it) sets the next
    run time, turning it off clears it."""
    config, _ = AutomationConfig.objects.select_for_update().get_or_create(
        site=site, defaults={"account_id": site.account_id, "created_by_id": user_id}
    )
    schedule_changed = any(
        name in fields and fields[name] != getattr(config, name)
        for name in ("is_enabled", "frequency", "scheduled_time")
    )
    for name, value in fields.items():
        setattr(config, name, value)
    if not config.is_enabled:
        config.next_run_at = None
    elif schedule_changed or config.next_run_at is None:
        config.next_run_at = next_occurrence(config, now or timezone.now())
    config.save()
    return config


def _open_run(site_id: int) -> AutomationRun | None:
    return AutomationRun.objects.filter(
        site_id=site_id, status__in=[Status.QUEUED, Status.RUNNING, Status.PAUSED]
    ).first()


def _already_open(run: AutomationRun) -> ConflictError:
    return ConflictError(
        f"Run {run.id} of this site is {run.status}; resume or cancel it first.",
        code="automation_running",
        extra={"run_id": run.id, "run_status": run.status},
    )


def _check_credits(*, account_id: int, site_id: int, config: AutomationConfig, progress=None):
    needed = selectors.estimate(
        account_id=account_id, site_id=site_id, config=config, progress=progress
    )["total_credits"]
    available = billing.available_credits(account_id=account_id)
    if available < needed:
        raise PaymentRequiredError(
            f"Not enough credits: this run needs about {needed}, {available} available.",
            code="insufficient_credits",
            extra={"credits_needed": needed, "credits_available": available},
        )


def _queue(run: AutomationRun, user_id: int | None) -> None:
    job = job_start(
        kind=KIND,
        account_id=run.account_id,
        user_id=user_id,
        payload={"run_id": run.id},
        target=("automation.automationrun", run.id),
    )
    AutomationRun.objects.filter(id=run.id).update(job_id=job.id)
    run.job_id = job.id


def run_start(*, site, user_id: int | None, trigger: str = "manual") -> AutomationRun:
    """Queue a run of the site's pipeline: 409 while another is open, 402 when the
    credits for what is waiting now are not there."""
    config, _ = AutomationConfig.objects.get_or_create(
        site=site, defaults={"account_id": site.account_id, "created_by_id": user_id}
    )
    open_run = _open_run(site.id)
    if open_run is not None:
        raise _already_open(open_run)
    _check_credits(account_id=site.account_id, site_id=site.id, config=config)
    try:
        with transaction.atomic():
            run = AutomationRun.objects.create(
                account_id=site.account_id, site=site, trigger=trigger, created_by_id=user_id
            )
            _queue(run, user_id)
    except IntegrityError:  # another request opened one between the check and the insert
        raise _already_open(_open_run(site.id)) from None
    log(run, f"Run queued ({trigger}).")
    transaction.on_commit(lambda: events.pipeline_update(run, "Run queued"))
    return run


def _cancel_queued_job(run: AutomationRun) -> None:
    if run.job_id:
        job_cancel_if_queued(run.job_id)


@transaction.atomic
def run_pause(*, run: AutomationRun) -> AutomationRun:
    """A queued run pauses at once; a running one at the end of its current step."""
    run = AutomationRun.objects.select_for_update().get(id=run.id)
    if run.status == Status.QUEUED:
        AutomationRun.objects.filter(id=run.id).update(
            status=Status.PAUSED, paused_at=timezone.now(), control=""
        )
        _cancel_queued_job(run)
        log(run, "Paused before it started.")
    elif run.status == Status.RUNNING:
        AutomationRun.objects.filter(id=run.id).update(control="pause")
        log(run, "Pause asked; stopping after the current step.", stage=run.stage)
    elif run.status != Status.PAUSED:
        raise ConflictError(f"The run is {run.status}.", code="run_not_active")
    run.refresh_from_db()
    transaction.on_commit(lambda: events.pipeline_update(run, "Pause asked"))
    return run


def run_resume(*, run: AutomationRun, user_id: int | None) -> AutomationRun:
    """Continue a paused run where it stopped (402 while the credits are still short)."""
    with transaction.atomic():
        run = AutomationRun.objects.select_for_update().get(id=run.id)
        if run.status != Status.PAUSED:
            raise ConflictError(
                f"Only a paused run resumes; this one is {run.status}.", code="run_not_paused"
            )
        config = AutomationConfig.objects.get(site_id=run.site_id)
        _check_credits(
            account_id=run.account_id, site_id=run.site_id, config=config, progress=run.progress
        )
        AutomationRun.objects.filter(id=run.id).update(
            status=Status.QUEUED, control="", error="", error_code=""
        )
        _queue(run, user_id or run.created_by_id)
        log(run, "Resume asked.", stage=run.stage)
    run.refresh_from_db()
    transaction.on_commit(lambda: events.pipeline_update(run, "Run resumed"))
    return run


@transaction.atomic
def run_cancel(*, run: AutomationRun) -> AutomationRun:
    """A queued or paused run ends at once; a running one after its current step."""
    run = AutomationRun.objects.select_for_update().get(id=run.id)
    if run.status in (Status.QUEUED, Status.PAUSED):
        AutomationRun.objects.filter(id=run.id).update(
            status=Status.CANCELLED, finished_at=timezone.now(), control="", current={}
        )
        _cancel_queued_job(run)
        log(run, "Cancelled.", stage=run.stage)
    elif run.status == Status.RUNNING:
        AutomationRun.objects.filter(id=run.id).update(control="cancel")
        log(run, "Cancel asked; stopping after the current step.", stage=run.stage)
    else:
        raise ConflictError(f"The run is already {run.status}.", code="run_not_active")
    run.refresh_from_db()
    transaction.on_commit(lambda: events.pipeline_update(run, "Cancel asked"))
    return run


def run_job_finished(job) -> None:
    """Job finish listener: a run whose job ended without ending it (cancelled in `jobs/`
    while queued, failed outside the handler) ends the same way instead of blocking its
    site as open forever."""
    if job.kind != KIND:
        return
    outcome = {JobStatus.CANCELLED: Status.CANCELLED, JobStatus.FAILED: Status.FAILED}
    status = outcome.get(job.status)
    if status is None:
        return
    ended = AutomationRun.unscoped.filter(
        id=(job.payload or {}).get("run_id"),
        job_id=job.id,
        status__in=[Status.QUEUED, Status.RUNNING],
    ).update(
        status=status,
        control="",
        current={},
        finished_at=timezone.now(),
        error=(job.error or "")[:500],
        error_code=job.error_code or "",
    )
    if ended:
        run = AutomationRun.unscoped.get(id=job.payload["run_id"])
        log(run, f"Run {status} with its job.", stage=run.stage, level="warning")
        events.pipeline_update(run, f"Run {status} with its job")


def schedule_tick(*, now=None) -> int:
    """Start the runs that are due (beat calls this every minute). Each due config is
    claimed with a conditional update, so two schedulers start it once; a site whose
    previous run is still open is skipped, never run twice at the same time."""
    now = now or timezone.now()
    started = 0
    due = AutomationConfig.unscoped.filter(is_enabled=True, next_run_at__lte=now).select_related(
        "site"
    )
    for config in due:
        following = config.next_run_at + PERIOD[config.frequency]
        while following <= now:  # missed slots (the scheduler was down) are not made up
            following += PERIOD[config.frequency]
        claimed = AutomationConfig.unscoped.filter(
            id=config.id, next_run_at=config.next_run_at
        ).update(next_run_at=following)
        if not claimed:
            continue  # another scheduler took it
        # The run starts as if its owner asked: in the account's scope, so what it reads
        # (the estimate over the planner's and writer's waiting items) is scoped too.
        with tenancy.tenant_scope(config.account_id, user_id=config.created_by_id):
            started += _scheduled_start(config, now)
    return started


def _scheduled_start(config: AutomationConfig, now) -> int:
    """Start the config's due run; 1 when it started, 0 when it was skipped."""
    try:
        run_start(site=config.site, user_id=config.created_by_id, trigger="scheduled")
    except ConflictError as exc:
        log(
            AutomationRun.objects.get(id=exc.extra["run_id"]),
            f"Scheduled run of {now:%Y-%m-%d %H:%M} UTC skipped: this run is still "
            f"{exc.extra['run_status']}.",
            level="warning",
        )
        return 0
    except (PaymentRequiredError, ApplicationError) as exc:
        _skipped_run(config, now, exc)
        return 0
    return 1


def _skipped_run(config: AutomationConfig, now, exc: ApplicationError) -> None:
    """A scheduled run that could not start is kept as a failed run saying why."""
    run = AutomationRun.objects.create(
        account_id=config.account_id,
        site_id=config.site_id,
        trigger=AutomationRun.Trigger.SCHEDULED,
        status=Status.FAILED,
        error=exc.message[:500],
        error_code=exc.code,
        created_by_id=config.created_by_id,
        finished_at=now,
    )
    log(run, f"Scheduled run not started: {exc.message}", level="error", code=exc.code)
    events.pipeline_update(run, "Scheduled run not started")
