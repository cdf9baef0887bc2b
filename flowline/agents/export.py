"""The agents' part of a user's data export (004 `/user/export`): the processes the user
created, with their data sources (metadata; uploads by name and size, not content), the
matches they found, and data sources on other processes that read the user's drives."""

from __future__ import annotations

from flowline.agents.models import AgentMatch, AgentProcess, DataSource

_SOURCE_FIELDS = (
    "id",
    "account_id",
    "process_id",
    "platform",
    "resource_identifier",
    "resource_name",
    "config",
    "created_at",
)


def _source(row: DataSource) -> dict:
    data = {name: getattr(row, name) for name in _SOURCE_FIELDS}
    upload = row.upload
    data["upload"] = (
        {
            "name": row.resource_name,
            "size": upload.size if upload.storage.exists(upload.name) else None,
        }
        if upload
        else None
    )
    return data


def user_agents_export(user) -> dict:
    """JSON-able: `processes` (each with `data_sources` and `matches`) and
    `data_sources_owned` (sources elsewhere that read this user's drives)."""
    processes = list(AgentProcess.unscoped.filter(created_by=user).order_by("id"))
    ids = [process.id for process in processes]
    sources: dict[int, list] = {pid: [] for pid in ids}
    for row in DataSource.unscoped.filter(process_id__in=ids).order_by("id"):
        sources[row.process_id].append(_source(row))
    matches: dict[int, list] = {pid: [] for pid in ids}
    for row in AgentMatch.unscoped.filter(process_id__in=ids).order_by("id"):
        matches[row.process_id].append(
            {
                "id": row.id,
                "run_id": row.run_id,
                "data": row.data,
                "evidence": row.evidence,
                "score": row.score,
                "source_index": row.source_index,
                "created_at": row.created_at,
            }
        )
    owned = DataSource.unscoped.filter(owner=user).exclude(process_id__in=ids).order_by("id")
    return {
        "processes": [
            {
                "id": process.id,
                "account_id": process.account_id,
                "agent_id": process.agent_id,
                "name": process.name,
                "description": process.description,
                "status": process.status,
                "execution_mode": process.execution_mode,
                "schedule_interval_seconds": process.schedule_interval_seconds,
                "notification_emails": process.notification_emails,
                "last_run_at": process.last_run_at,
                "created_at": process.created_at,
                "data_sources": sources[process.id],
                "matches": matches[process.id],
            }
            for process in processes
        ],
        "data_sources_owned": [_source(row) for row in owned],
    }
