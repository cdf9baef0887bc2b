"""Reads of the agents app that the console needs beyond the API's answers."""

from __future__ import annotations

from collections.abc import Iterator

from flowline.agents.models import AgentMatch, AgentRun, RunFile


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
