"""The 004 §4.2 events of agents: agent_status, pipeline_update, agent_countdown,
agent_action, all to the process's `agent_{id}` room."""

from __future__ import annotations

import uuid

from flowline.realtime.public import publish
from flowline.realtime.rooms import register_room_kind


def room(process_id: int) -> str:
    return f"agent_{process_id}"


def _may_join(account_id: int, user_id: int, ident: str) -> bool:
    from flowline.agents.models import AgentProcess

    return (
        ident.isdigit()
        and AgentProcess.unscoped.filter(id=int(ident), account_id=account_id).exists()
    )


def _snapshot(ident: str) -> list[tuple[str, dict]]:
    """The process's state now, from its rows: its status, its latest run's pipeline and,
    when a scheduled run is armed, the seconds left (the thought stream is not durable:
    it is replayed from the room's buffer)."""
    import math

    from django.utils import timezone

    from flowline.agents.models import AgentProcess, AgentRun

    process = AgentProcess.unscoped.filter(id=int(ident)).first() if ident.isdigit() else None
    if process is None:
        return []
    state = [("agent_status", _status_data(process))]
    run = AgentRun.unscoped.filter(process_id=process.id).order_by("-id").first()
    if run is not None:
        state.append(("pipeline_update", _pipeline_data(process.id, run)))
    if process.next_run_at and process.status == AgentProcess.Status.ACTIVE:
        left = max(0, math.ceil((process.next_run_at - timezone.now()).total_seconds()))
        state.append(("agent_countdown", _countdown_data(process.id, left)))
    return state


register_room_kind("agent", _may_join, snapshot=_snapshot)


def _status_data(process) -> dict:
    return {"agent_id": str(process.id), "process_id": str(process.id), "status": process.status}


def _pipeline_data(process_id: int, run) -> dict:
    return {
        "process_id": str(process_id),
        "run_id": run.id,
        "stage": run.stage,
        "status": run.status,
        "pipeline": run.pipeline,
    }


def _countdown_data(process_id: int, remaining_seconds: int) -> dict:
    return {"process_id": str(process_id), "remaining_seconds": remaining_seconds}


def status(process) -> None:
    publish("agent_status", _status_data(process), rooms=room(process.id))


def pipeline_update(process_id: int, run) -> None:
    publish("pipeline_update", _pipeline_data(process_id, run), rooms=room(process_id))


def countdown(process_id: int, remaining_seconds: int) -> None:
    publish(
        "agent_countdown", _countdown_data(process_id, remaining_seconds), rooms=room(process_id)
    )


def action(process_id: int, kind: str, content: str, **extra) -> None:
    """A thought (the model's streamed reasoning) or an action (what the agent did)."""
    publish(
        "agent_action",
        {
            "id": uuid.uuid4().hex,
            "type": kind,
            "content": content,
            "process_id": str(process_id),
            **extra,
        },
        rooms=room(process_id),
    )
