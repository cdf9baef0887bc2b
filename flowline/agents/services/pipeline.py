"""The agent run: extract each data source's file, load its rows or text, transform them
with the agent's instructions, and store the matches with their evidence.

One job (`agent.run`) drives a run; each file is a tracked job of its own
(`agent.process_file`, 004's AgentTask). Files already completed in the run are skipped,
so a run that crashed, was retried or paused continues where it stopped.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from flowline.agents import events
from flowline.agents.models import (
    AgentMatch,
    AgentProcess,
    AgentRun,
    DataSource,
    LoadedRow,
    RunFile,
    TextChunk,
)
from flowline.agents.services import loading, transform
from flowline.billing import public as credits
from flowline.core.errors import PaymentRequiredError
from flowline.core.uploads import KINDS
from flowline.jobs.public import PermanentJobError, job_handler, job_tracked

OPERATION = "agent_run"


class _Halt(Exception):
    def __init__(self, control: str):
        self.control = control


def _stage(run: AgentRun, stage: str, **state) -> None:
    run.stage = stage
    run.pipeline = {**run.pipeline, stage: {**run.pipeline.get(stage, {}), **state}}
    AgentRun.objects.filter(id=run.id).update(stage=stage, pipeline=run.pipeline)
    events.pipeline_update(run.process_id, run)


def _check_control(run: AgentRun) -> None:
    control = AgentRun.objects.filter(id=run.id).values_list("control", flat=True).first()
    if control in ("pause", "stop"):
        raise _Halt(control)


def _download(source: DataSource, account_id: int):
    if source.platform == DataSource.Platform.UPLOAD:
        source.upload.open("rb")
        try:
            content = source.upload.read()
        finally:
            source.upload.close()
        # The stored name's extension is the kind its bytes were checked as on upload.
        kind = KINDS.get(source.upload.name.rsplit(".", 1)[-1].lower())
        name = source.resource_name or source.upload.name.rsplit("/", 1)[-1]
        return name, kind.content_type if kind else "", content
    from flowline.drives import public as drives

    downloaded = drives.download(
        user_id=source.owner_id,
        account_id=account_id,
        provider=source.platform,
        file_id=source.resource_identifier,
    )
    return downloaded.name, downloaded.mime_type, downloaded.content


def _process_file(run: AgentRun, process: AgentProcess, source: DataSource, job) -> None:
    if RunFile.objects.filter(
        run=run, data_source=source, status=RunFile.Status.COMPLETED
    ).exists():
        return
    _check_control(run)
    run_file, _ = RunFile.objects.get_or_create(
        account_id=run.account_id,
        run=run,
        data_source=source,
        defaults={"filename": source.resource_name},
    )
    # A file interrupted half-way starts over: drop what it had loaded and found.
    LoadedRow.objects.filter(run_file=run_file).delete()
    TextChunk.objects.filter(run_file=run_file).delete()
    AgentMatch.objects.filter(run_file=run_file).delete()
    with job_tracked(
        kind="agent.process_file",
        account_id=run.account_id,
        user_id=job.user_id,
        payload={"filename": run_file.filename, "run_id": run.id},
        target=("agents.agentprocess", process.id),
    ) as file_job:
        RunFile.objects.filter(id=run_file.id).update(
            status=RunFile.Status.PROCESSING, job_id=file_job.id
        )
        events.action(
            process.id,
            "action",
            f"Downloading {run_file.filename or source.resource_identifier}",
            run_id=run.id,
        )
        _stage(run, "extract", current=run_file.filename)
        name, mime, content = _download(source, run.account_id)
        file_job.job.payload["filename"] = name
        file_job.progress(20, phase="EXTRACT", message=f"Downloaded {name}")

        loaded = loading.load(name, mime, content)
        LoadedRow.objects.bulk_create(
            LoadedRow(account_id=run.account_id, run_file=run_file, index=i, data=row)
            for i, row in enumerate(loaded.rows)
        )
        TextChunk.objects.bulk_create(
            TextChunk(account_id=run.account_id, run_file=run_file, index=i, text=chunk)
            for i, chunk in enumerate(loaded.chunks)
        )
        _stage(run, "load", current=name, rows=len(loaded.rows), chunks=len(loaded.chunks))
        events.action(
            process.id,
            "action",
            f"Loaded {len(loaded.rows)} rows and {len(loaded.chunks)} text chunks from {name}",
            run_id=run.id,
        )
        file_job.progress(
            40, phase="LOAD", message=f"{len(loaded.rows) or len(loaded.chunks)} items"
        )

        items = loaded.rows or loaded.chunks
        _stage(run, "transform", current=name)
        found = transform.find_matches(
            account_id=run.account_id,
            agent_id=process.agent_id,
            job_id=file_job.id,
            instructions=process.agent.instructions,
            filename=name,
            items=items,
            on_thought=lambda text: events.action(process.id, "thought", text, run_id=run.id),
            should_stop=lambda: _check_control(run),
        )
        with transaction.atomic():
            AgentMatch.objects.bulk_create(
                AgentMatch(
                    account_id=run.account_id,
                    process=process,
                    run=run,
                    run_file=run_file,
                    data=m.get("fields") or items[m["row"]],
                    evidence=m.get("reason", ""),
                    source_index=m["row"],
                )
                for m in found
            )
            credits.credits_charge(
                account_id=run.account_id,
                operation_type=OPERATION,
                amount=credits.estimate(operation_type=OPERATION).credits,
                reference=f"agent-run:{run.id}:{source.id}",
            )
            RunFile.objects.filter(id=run_file.id).update(
                status=RunFile.Status.COMPLETED,
                filename=name,
                rows=len(loaded.rows),
                chunks=len(loaded.chunks),
                matches=len(found),
            )
        events.action(process.id, "action", f"Found {len(found)} matches in {name}", run_id=run.id)
        file_job.job.result = {"filename": name, "matches": len(found)}


@job_handler("agent.run", max_attempts=3)
def run_agent(job) -> dict:
    """Drives one AgentRun through every data source of its process."""
    run = AgentRun.objects.select_related("process", "process__agent").get(id=job.payload["run_id"])
    process = run.process
    if run.status in (AgentRun.Status.COMPLETED, AgentRun.Status.STOPPED):
        return {"run_id": run.id, "status": run.status}
    AgentRun.objects.filter(id=run.id).update(
        status=AgentRun.Status.RUNNING, started_at=run.started_at or timezone.now(), control=""
    )
    run.status = AgentRun.Status.RUNNING
    _stage(run, "extract")
    try:
        for source in DataSource.objects.filter(process=process).order_by("id"):
            _process_file(run, process, source, job)
    except _Halt as halt:
        return _halted(run, process, halt.control)
    except PaymentRequiredError as exc:
        _finish(run, process, AgentRun.Status.FAILED, error=exc.message)
        raise PermanentJobError(exc.message, code="insufficient_credits") from exc
    _stage(run, "done", files=RunFile.objects.filter(run=run).count())
    _finish(run, process, AgentRun.Status.COMPLETED)
    total = AgentMatch.objects.filter(run=run).count()
    return {"run_id": run.id, "status": "completed", "matches": total}


def _halted(run: AgentRun, process: AgentProcess, control: str) -> dict:
    status = AgentRun.Status.PAUSED if control == "pause" else AgentRun.Status.STOPPED
    _finish(run, process, status)
    return {"run_id": run.id, "status": status}


def _finish(run: AgentRun, process: AgentProcess, status: str, error: str = "") -> None:
    finished = timezone.now() if status != AgentRun.Status.PAUSED else None
    AgentRun.objects.filter(id=run.id).update(
        status=status, finished_at=finished, error=error, control=""
    )
    run.status = status
    events.pipeline_update(process.id, run)
    process_status = {
        AgentRun.Status.PAUSED: AgentProcess.Status.PAUSED,
        AgentRun.Status.STOPPED: AgentProcess.Status.STOPPED,
    }.get(status)
    if process_status is None:
        scheduled = process.execution_mode == AgentProcess.Mode.SCHEDULED
        process_status = (
            AgentProcess.Status.ACTIVE
            if scheduled and process.status == AgentProcess.Status.ACTIVE
            else AgentProcess.Status.IDLE
        )
    AgentProcess.objects.filter(id=process.id).update(
        status=process_status, last_run_at=timezone.now()
    )
    process.status = process_status
    events.status(process)
