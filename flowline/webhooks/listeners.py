"""Platform events that become webhooks: finished jobs, low credits, customer messages."""

from __future__ import annotations


def _job_finished(job) -> None:
    from flowline.webhooks.public import emit

    if job.status in ("completed", "failed"):
        emit(
            account_id=job.account_id,
            event_type=f"job.{job.status}",
            payload={
                "id": str(job.id),
                "kind": job.kind,
                "status": job.status,
                "result": job.result,
                "error": job.error or None,
                "target_type": job.target_type or None,
                "target_id": job.target_id or None,
            },
        )


def _low_balance(account_id: int, balance: int, threshold: int) -> None:
    from flowline.webhooks.public import emit

    emit(
        account_id=account_id,
        event_type="credits.low",
        payload={"balance": balance, "threshold": threshold},
    )


def connect() -> None:
    from flowline.billing.public import register_low_balance_listener
    from flowline.jobs.public import register_finish_listener

    register_finish_listener(_job_finished)
    register_low_balance_listener(_low_balance)
