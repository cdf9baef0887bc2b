"""What other apps and pages may ask of the agents app: whether processes exist in the
active account, and a process's state as a small frozen summary.

Drives keep files saved for an agent by its process id (`SavedCloudFile.process_id`)
and the seed frontends show a process's state; both go through these functions, never
through the agents' models. Every function reads inside the active account's scope
(`core.tenancy`): another account's process is not found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flowline.agents.models import AgentProcess


@dataclass(frozen=True)
class ProcessSummary:
    """An agent process as other apps see it."""

    id: int
    name: str
    status: str
    execution_mode: str
    next_run_at: datetime | None
    last_run_at: datetime | None


def process_summary(*, process_id: int) -> ProcessSummary | None:
    """The active account's process `process_id`, or None."""
    row = (
        AgentProcess.objects.filter(id=process_id)
        .values("id", "name", "status", "execution_mode", "next_run_at", "last_run_at")
        .first()
    )
    return ProcessSummary(**row) if row else None


def process_ids_in_scope(process_ids: Iterable[int]) -> frozenset[int]:
    """The ids among `process_ids` that are processes of the active account."""
    ids = AgentProcess.objects.filter(pk__in=list(process_ids)).values_list("pk", flat=True)
    return frozenset(ids)
