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


register_room_kind("agent", _may_join)


def status(process) -> None:
    publish(
        "agent_status",
        {"agent_id": str(process.id), "process_id": str(process.id), "status": process.status},
        rooms=room(process.id),
    )


def pipeline_update(process_id: int, run) -> None:
    publish(
        "pipeline_update",
        {
            "process_id": str(process_id),
            "run_id": run.id,
            "stage": run.stage,
            "status": run.status,
            "pipeline": run.pipeline,
        },
        rooms=room(process_id),
    )


def countdown(process_id: int, remaining_seconds: int) -> None:
    publish(
        "agent_countdown",
        {"process_id": str(process_id), "remaining_seconds": remaining_seconds},
        rooms=room(process_id),
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
