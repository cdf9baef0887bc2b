"""`pipeline_update`: an automation run's state, to its account's room, at every step."""

from __future__ import annotations

from flowline.realtime.public import publish


def run_payload(run) -> dict:
    return {
        "run_id": run.id,
        "site_id": run.site_id,
        "status": run.status,
        "stage": run.stage or None,
        "trigger": run.trigger,
        "progress": run.progress,
        "current": run.current or None,
        "credits_used": run.credits_used,
        "error": run.error or None,
        "error_code": run.error_code or None,
    }


def pipeline_update(run, message: str = "") -> None:
    publish(
        "pipeline_update",
        {**run_payload(run), "source": "automation", "message": message},
        rooms=f"account_{run.account_id}",
    )
