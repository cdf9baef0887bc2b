"""Reads of the agents app: what the API and the console show of processes, their runs,
data sources and matches."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from flowline.agents.models import AgentMatch, AgentProcess, AgentRun, DataSource, RunFile
from flowline.core.errors import NotFoundError
from flowline.jobs.public import job_find


def process_get(*, agent_id) -> AgentProcess:
    """The active account's process `agent_id` with its agent, or a 404 (also when the
    id is not a number, as the legacy endpoints send it in the query string)."""
    try:
        process = AgentProcess.objects.select_related("agent").filter(id=int(agent_id)).first()
    except (TypeError, ValueError):
        process = None
    if process is None:
        raise NotFoundError("Agent not found.")
    return process


def process_status(*, process: AgentProcess) -> dict:
    """004 `agent/status`: the process's state and its newest run's place in the pipeline."""
    run = run_latest(process_id=process.id)
    return {
        "agent_id": str(process.id),
        "status": process.status,
        "execution_mode": process.execution_mode,
        "next_run_at": process.next_run_at,
        "run": run
        and {"id": run.id, "status": run.status, "stage": run.stage, "pipeline": run.pipeline},
    }


def data_sources_for_list(queryset: QuerySet, *, process_id: str | None) -> QuerySet:
    """The sources of one process when `process_id` is given (`?process_id=`), else all."""
    return queryset.filter(process_id=process_id) if process_id else queryset


def data_sources_of_owner(*, owner_id: int) -> QuerySet:
    """The sources a user created, oldest first (the legacy `user/datasources/`)."""
    return DataSource.objects.filter(owner_id=owner_id).order_by("id")


def task_detail(*, task_id) -> dict:
    """004 `agent/tasks/{id}`: an agent job of the active account as the seed shows it,
    or a 404."""
    job = job_find(task_id, kind_prefix="agent.")
    if job is None:
        raise NotFoundError("Task not found.")
    result = job.result or {}
    return {
        "id": str(job.id),
        "status": job.status,
        "progress": job.progress,
        "filename": job.payload.get("filename"),
        "phone": result.get("phone"),
        "created_at": job.created_at,
        "kind": job.kind,
        "result": result,
        "error": job.error or None,
    }


def matches_of_process(*, process: AgentProcess) -> QuerySet:
    """The matches a process found, each with the run file it came from (paginated)."""
    return AgentMatch.objects.filter(process=process).select_related("run_file")


def run_latest(*, process_id: int) -> AgentRun | None:
    """The process's newest run (scoped to the active account)."""
    return AgentRun.objects.filter(process_id=process_id).order_by("-id").first()


def run_files(*, run: AgentRun) -> list[RunFile]:
    """The files of a run in the order they were taken up (each with its task's job id)."""
    return list(RunFile.objects.filter(run=run).order_by("id"))


def matches_for_export(*, process_id: int) -> Iterator[AgentMatch]:
    """Every match of a process, oldest first, streamed (for a CSV download)."""
    return (
        AgentMatch.objects.filter(process_id=process_id)
        .select_related("run_file")
        .order_by("id")
        .iterator(chunk_size=500)
    )
