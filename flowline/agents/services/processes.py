"""Process control (004 `agent/control`): start, pause, resume, stop; manual or scheduled
runs; and the scheduler's tick that starts due runs and counts down to the next one."""

from __future__ import annotations

import math
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from flowline.agents import events
from flowline.agents.models import AgentProcess, AgentRun, DataSource
from flowline.ai import public as ai
from flowline.billing import public as credits
from flowline.core import tenancy
from flowline.core.errors import ApplicationError, PaymentRequiredError
from flowline.jobs.public import job_start

ACTIONS = ("start", "stop", "pause")


@transaction.atomic
def process_create(*, account_id: int, user_id: int | None, **fields) -> AgentProcess:
    """A new process. Without an `agent` it gets one of its own, named after it: 004
    creates a process as an "agent instance" and sets that agent's model through
    `agent/config`, which must not change any other process's model."""
    if fields.get("agent") is None:
        fields.pop("agent", None)
        fields["agent_id"] = ai.agent_create(
            account_id=account_id, name=fields["name"], description=fields.get("description", "")
        )
    return AgentProcess.objects.create(account_id=account_id, created_by_id=user_id, **fields)


def _set_status(process: AgentProcess, status: str) -> None:
    # Also an on-commit callback of `run_start`, which may run after its scope has ended.
    AgentProcess.unscoped.filter(id=process.id).update(status=status)
    process.status = status
    events.status(process)


def _open_run(process: AgentProcess) -> AgentRun | None:
    return (
        AgentRun.objects.filter(
            process=process,
            status__in=[AgentRun.Status.QUEUED, AgentRun.Status.RUNNING, AgentRun.Status.PAUSED],
        )
        .order_by("-id")
        .first()
    )


@transaction.atomic
def run_start(*, process: AgentProcess, user_id: int | None, trigger: str = "manual") -> AgentRun:
    """Queue a run (or resume the paused one) after checking the credits it will need."""
    sources = DataSource.objects.filter(process=process).count()
    if not sources:
        raise ApplicationError(
            "Add a data source before running the agent.", code="no_data_sources"
        )
    needed = credits.estimate(operation_type="agent_run", quantity=sources).credits
    available = credits.available_credits(account_id=process.account_id)
    if available < needed:
        raise PaymentRequiredError(
            f"Not enough credits: this run needs {needed}, {available} available.",
            code="insufficient_credits",
            extra={"credits_needed": needed, "credits_available": available},
        )
    run = _open_run(process)
    if run is not None and run.status != AgentRun.Status.PAUSED:
        return run  # already queued or running: starting twice does nothing more
    if run is None:
        run = AgentRun.objects.create(
            account_id=process.account_id, process=process, trigger=trigger
        )
    job = job_start(
        kind="agent.run",
        account_id=process.account_id,
        user_id=user_id,
        payload={"run_id": run.id},
        target=("agents.agentprocess", process.id),
    )
    AgentRun.objects.filter(id=run.id).update(
        job_id=job.id, status=AgentRun.Status.QUEUED, control=""
    )
    run.job_id = job.id
    transaction.on_commit(lambda: _set_status(process, AgentProcess.Status.ACTIVE))
    return run


def control(
    *, process: AgentProcess, action: str, execution_mode: str | None, user_id: int | None
) -> AgentProcess:
    """004 `agent/control`: start (now, or arm the schedule), pause (keep the place), stop."""
    if action not in ACTIONS:
        raise ApplicationError(
            f"Unknown action {action!r}.",
            code="invalid",
            errors={"action": [f"One of {', '.join(ACTIONS)}."]},
        )
    if execution_mode:
        process.execution_mode = execution_mode
        AgentProcess.objects.filter(id=process.id).update(execution_mode=execution_mode)
    if action == "start":
        if process.execution_mode == AgentProcess.Mode.SCHEDULED:
            schedule_arm(process=process)
            paused = _open_run(process)
            if paused is not None and paused.status == AgentRun.Status.PAUSED:
                run_start(process=process, user_id=user_id, trigger="resume")
        else:
            run_start(process=process, user_id=user_id)
        _set_status(process, AgentProcess.Status.ACTIVE)
        return process
    run = _open_run(process)
    if run is not None:
        AgentRun.objects.filter(id=run.id).update(control=action)
        if run.status == AgentRun.Status.QUEUED or (
            action == "stop" and run.status == AgentRun.Status.PAUSED
        ):
            AgentRun.objects.filter(id=run.id).update(
                status=AgentRun.Status.PAUSED if action == "pause" else AgentRun.Status.STOPPED
            )
    if action == "stop":
        AgentProcess.objects.filter(id=process.id).update(next_run_at=None)
    _set_status(
        process, AgentProcess.Status.PAUSED if action == "pause" else AgentProcess.Status.STOPPED
    )
    return process


def schedule_arm(*, process: AgentProcess, now=None) -> None:
    if not process.schedule_interval_seconds:
        raise ApplicationError(
            "Set a schedule before starting in scheduled mode.",
            code="no_schedule",
            errors={"schedule": ["Required."]},
        )
    now = now or timezone.now()
    process.next_run_at = now + timedelta(seconds=process.schedule_interval_seconds)
    AgentProcess.objects.filter(id=process.id).update(next_run_at=process.next_run_at)


def schedule_tick(*, now=None) -> int:
    """Start every scheduled run that is due (claimed once, on any node) and tell each armed
    process how many seconds remain. The scheduler calls this every second."""
    now = now or timezone.now()
    started = 0
    armed = AgentProcess.unscoped.filter(
        execution_mode=AgentProcess.Mode.SCHEDULED,
        status=AgentProcess.Status.ACTIVE,
        next_run_at__isnull=False,
    )
    for process in armed.select_related("agent"):
        if process.next_run_at <= now:
            following = now + timedelta(seconds=process.schedule_interval_seconds or 60)
            claimed = AgentProcess.unscoped.filter(
                id=process.id, next_run_at=process.next_run_at
            ).update(next_run_at=following)
            if claimed:
                started += _scheduled_start(process)
                process.next_run_at = following
        remaining = max(0, math.ceil((process.next_run_at - now).total_seconds()))
        events.countdown(process.id, remaining)
    return started


def _scheduled_start(process: AgentProcess) -> int:
    """Start the process's due run as its owner would, in the account's tenant scope;
    1 when it started, 0 when it was skipped."""
    with tenancy.tenant_scope(process.account_id, user_id=process.created_by_id):
        try:
            run_start(process=process, user_id=process.created_by_id, trigger="scheduled")
        except (ApplicationError, PaymentRequiredError) as exc:
            events.action(process.id, "action", f"Scheduled run skipped: {exc}")
            return 0
    return 1


def process_configure(
    *,
    process: AgentProcess,
    notification_emails: list[str] | None = None,
    execution_mode: str | None = None,
    schedule: dict | None = None,
) -> AgentProcess:
    """004 `config/update`: notification emails, execution mode and schedule (seconds or
    minutes); a new schedule of an active scheduled process is armed at once."""
    fields: dict = {}
    if notification_emails is not None:
        fields["notification_emails"] = notification_emails
    if execution_mode is not None:
        fields["execution_mode"] = execution_mode
    if schedule:
        seconds = schedule.get("interval_seconds") or schedule.get("interval_minutes", 0) * 60
        fields["schedule_interval_seconds"] = seconds
    AgentProcess.objects.filter(id=process.id).update(**fields)
    process.refresh_from_db()
    if (
        schedule
        and process.status == AgentProcess.Status.ACTIVE
        and process.execution_mode == "scheduled"
    ):
        schedule_arm(process=process)
    return process


def connection_emails_set(*, process: AgentProcess, emails: list[str]) -> None:
    """004 `config/connection-emails`: who is told when a connection breaks."""
    AgentProcess.objects.filter(id=process.id).update(connection_emails=emails)


def process_model_set(*, process: AgentProcess, model_id: int) -> tuple[int, str]:
    """Point the process's agent at one of the account's models: its id and name."""
    from flowline.ai.public import agent_model_set

    chosen = agent_model_set(agent_id=process.agent_id, model_id=model_id)
    if chosen is None:
        raise ApplicationError(
            "Unknown model.", code="invalid", errors={"model": ["No such model."]}
        )
    return chosen
