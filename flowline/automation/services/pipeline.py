"""The automation run: one job (`automation.run`) takes a site's work through every stage.

Each step holds its credits first (`billing.public.paid_step`), calls the app's public
function, and then records in the run's `progress` what it finished. Between steps the run
looks at its `control` column: a pause stops it there (a resume starts a new job that
skips the finished stages and the finished items), a cancel ends it. Running out of
credits pauses it with `insufficient_credits`, before the step that could not be paid.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils import timezone

from flowline.automation import events
from flowline.automation.models import AutomationConfig, AutomationLog, AutomationRun
from flowline.automation.stages import STAGES, Stage
from flowline.billing import public as billing
from flowline.core.errors import ApplicationError, PaymentRequiredError
from flowline.jobs.public import JobCancelled, PermanentJobError, job_handler, kind

logger = logging.getLogger("flowline.automation")
Status = AutomationRun.Status
KIND = "automation.run"


class _Halt(Exception):
    def __init__(self, control: str):
        self.control = control


@dataclass
class StepContext:
    """What a stage's step gets: who it works for, and a way to report inside a step."""

    account_id: int
    user_id: int | None
    job_id: object
    progress: object


def log(run: AutomationRun, message: str, *, stage: str = "", level: str = "info", **data):
    AutomationLog.objects.create(
        account_id=run.account_id,
        run=run,
        stage=stage,
        level=level,
        message=message[:500],
        data=data,
    )


def _save(run: AutomationRun, **fields) -> None:
    """Write the fields only this job writes (never `status` or `control`, which the API
    may be changing at the same moment)."""
    for name, value in fields.items():
        setattr(run, name, value)
    AutomationRun.objects.filter(id=run.id).update(**fields)


def _check_control(run: AutomationRun) -> None:
    control = AutomationRun.objects.filter(id=run.id).values_list("control", flat=True).first()
    if control in ("pause", "cancel"):
        raise _Halt(control)


def _percentage(index: int, state: dict) -> int:
    share = state.get("done", 0) / state["limit"] if state.get("limit") else 0
    return int(100 * (index + min(1.0, share)) / len(STAGES))


def _next_batch(run, config, stage: Stage, state: dict, remaining: int) -> list[int]:
    waiting = stage.waiting(run.account_id, run.site_id, config).exclude(
        id__in=state.get("failed_ids", [])
    )
    if stage.together_by:
        first = waiting.order_by(stage.together_by, "id").values(stage.together_by).first()
        if first is None:
            return []
        waiting = waiting.filter(**first)
    size = min(stage.batch_size, remaining)
    return list(waiting.order_by("id").values_list("id", flat=True)[:size])


def _step(run, config, stage: Stage, state: dict, ids: list[int], job, index: int) -> None:
    label = f"{stage.item} {', '.join(map(str, ids))}"
    _save(run, current={"stage": stage.name, "item": stage.item, "ids": ids, "message": ""})
    events.pipeline_update(run, f"{stage.label}: processing {label}")
    job.progress(_percentage(index, state), phase=stage.name, message=f"Processing {label}")

    def inner_progress(percentage: int, message: str) -> None:
        # what `current_processing` shows while a long step (an article) is under way
        _save(run, current={**run.current, "percentage": percentage, "message": message})
        events.pipeline_update(run, message)

    ctx = StepContext(run.account_id, run.created_by_id, job.id, inner_progress)
    charged = 0
    try:
        quantity = stage.quantity(run.account_id, ids) if stage.operation_type else 0
        if quantity:
            with billing.paid_step(
                account_id=run.account_id,
                operation_type=stage.operation_type,
                quantity=quantity,
                job_id=job.id,
                user_id=run.created_by_id,
            ) as cost:
                result = stage.step(ctx, ids)
            charged = cost.credits
        else:
            result = stage.step(ctx, ids)
    except PaymentRequiredError:
        raise
    except ApplicationError as exc:
        if getattr(exc, "transient", False):
            raise
        # This item cannot be done now; the others go on, and the next run tries it again.
        state["failed_ids"] = [*state.get("failed_ids", []), *ids]
        state["failed"] = state.get("failed", 0) + len(ids)
        _save(run, progress={**run.progress, stage.name: state}, current={})
        log(
            run,
            f"Failed on {label}: {exc.message}",
            stage=stage.name,
            level="error",
            ids=ids,
            code=exc.code,
        )
        events.pipeline_update(run, f"{stage.label}: failed on {label}")
        return
    state["done"] = state.get("done", 0) + len(ids)
    state["done_ids"] = [*state.get("done_ids", []), *ids]
    state["created"] = state.get("created", 0) + len(result.created)
    state["credits"] = state.get("credits", 0) + charged
    _save(
        run,
        progress={**run.progress, stage.name: state},
        current={},
        credits_used=run.credits_used + charged,
    )
    log(run, result.message, stage=stage.name, ids=ids, created=result.created, credits=charged)
    events.pipeline_update(run, result.message)


def _run_stage(run, config, stage: Stage, index: int, job) -> None:
    state = dict(run.progress.get(stage.name) or {})
    if state.get("status") in ("done", "skipped"):
        return  # finished before a pause or a crash
    # The limit is fixed when the stage starts, so editing the config mid-run is safe.
    state.setdefault("limit", stage.limit(config))
    state.setdefault("done", 0)
    if not state["limit"]:
        state["status"] = "skipped"
        _save(run, progress={**run.progress, stage.name: state})
        log(run, f"{stage.label}: off (limit 0).", stage=stage.name)
        return
    state["status"] = "running"
    _save(run, stage=stage.name, progress={**run.progress, stage.name: state})
    events.pipeline_update(run, f"{stage.label}: started")
    while True:
        _check_control(run)
        remaining = state["limit"] - state["done"]
        ids = _next_batch(run, config, stage, state, remaining) if remaining > 0 else []
        if not ids:
            break
        _step(run, config, stage, state, ids, job, index)
    state["status"] = "done"
    _save(run, progress={**run.progress, stage.name: state})
    summary = f"{stage.label}: {state['done']} done"
    if state.get("failed"):
        summary += f", {state['failed']} failed"
    log(run, summary + ".", stage=stage.name, credits=state.get("credits", 0))
    events.pipeline_update(run, summary)


def _finish(run, status: str, *, error: str = "", error_code: str = "", message: str = ""):
    now = timezone.now()
    fields = {
        "status": status,
        "control": "",
        "current": {},
        "error": error[:500],
        "error_code": error_code,
    }
    if status == Status.PAUSED:
        fields["paused_at"] = now
    else:
        fields["finished_at"] = now
    AutomationRun.objects.filter(id=run.id).update(**fields)
    for name, value in fields.items():
        setattr(run, name, value)
    if status != Status.PAUSED:
        AutomationConfig.objects.filter(site_id=run.site_id).update(last_run_at=now)
    level = "error" if status == Status.FAILED else "info"
    log(run, message or f"Run {status}.", stage=run.stage, level=level, code=error_code)
    events.pipeline_update(run, message or f"Run {status}")


@job_handler(KIND, max_attempts=3, description="An automation run of a site's SEO pipeline.")
def run_automation(job) -> dict:
    """Drive one AutomationRun through the stages, from where it stopped."""
    run = AutomationRun.objects.get(id=job.payload["run_id"])
    if str(run.job_id) != str(job.id) or run.status not in (Status.QUEUED, Status.RUNNING):
        return {"run_id": run.id, "status": run.status}  # paused, cancelled or superseded
    config = AutomationConfig.objects.get(site_id=run.site_id)
    resumed = bool(run.progress)
    started = AutomationRun.objects.filter(
        id=run.id, status__in=[Status.QUEUED, Status.RUNNING]
    ).update(status=Status.RUNNING, started_at=run.started_at or timezone.now())
    if not started:
        return {"run_id": run.id, "status": "cancelled"}
    run.status = Status.RUNNING
    log(run, "Run resumed." if resumed else "Run started.", stage=run.stage, attempt=job.attempt)
    events.pipeline_update(run, "Run resumed" if resumed else "Run started")
    try:
        for index, stage in enumerate(STAGES):
            _run_stage(run, config, stage, index, job)
    except _Halt as halt:
        if halt.control == "pause":
            _finish(run, Status.PAUSED, message=f"Paused at {run.stage or 'the start'}.")
        else:
            _finish(run, Status.CANCELLED, message="Cancelled.")
        return {"run_id": run.id, "status": run.status}
    except PaymentRequiredError as exc:
        _finish(
            run,
            Status.PAUSED,
            error=exc.message,
            error_code="insufficient_credits",
            message=f"Paused at {run.stage}: {exc.message} Add credits and resume.",
        )
        raise PermanentJobError(exc.message, code="insufficient_credits") from exc
    except JobCancelled:
        _finish(run, Status.CANCELLED, message="Cancelled with its job.")
        raise
    except Exception as exc:
        if getattr(exc, "transient", False) and job.attempt < kind(KIND).max_attempts:
            _save(run, current={})
            log(run, f"Temporary error, retrying: {exc}", stage=run.stage, level="warning")
            raise
        logger.exception("Automation run %s failed", run.id)
        _finish(
            run,
            Status.FAILED,
            error=str(exc) or type(exc).__name__,
            error_code=str(getattr(exc, "code", "") or type(exc).__name__),
            message=f"Failed at {run.stage}: {exc}",
        )
        raise
    _save(run, stage="done")
    _finish(run, Status.COMPLETED, message=f"Completed; {run.credits_used} credits used.")
    return {"run_id": run.id, "status": run.status, "credits_used": run.credits_used}
