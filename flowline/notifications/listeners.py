"""Notifications other apps raise through their listener hooks: low credits (billing)
and finished jobs (jobs)."""

from __future__ import annotations

import logging

from flowline.notifications.public import notify

logger = logging.getLogger("flowline.notifications")


def on_low_balance(account_id: int, balance: int, threshold: int) -> None:
    """The balance fell to or below the threshold: tell the admins and owners once."""
    try:
        notify(
            account_id=account_id,
            user_ids=None,
            notification_type="credits_low",
            context={"balance": balance, "threshold": threshold},
            link="/billing/credits",
        )
    except Exception:  # billing runs this after its commit: never fail the charge's caller
        logger.exception("Could not notify low credits for account %s", account_id)


def on_job_finished(job) -> None:
    """A failed job, or one started with `"notify": true`, tells the user who started it
    (the admins and owners for jobs nobody started). Others stay quiet: a finished job
    already shows on the jobs page and over Socket.IO."""
    failed = job.status == job.Status.FAILED
    if not failed and not (
        job.status == job.Status.COMPLETED
        and isinstance(job.payload, dict)
        and job.payload.get("notify") is True
    ):
        return
    payload = job.payload if isinstance(job.payload, dict) else {}
    notify(
        account_id=job.account_id,
        user_ids=[job.user_id] if job.user_id else None,
        notification_type="job_failed" if failed else "job_completed",
        context={
            "job_id": str(job.id),
            "kind": job.kind,
            "name": payload.get("title") or job.kind.replace("_", " ").replace(".", " "),
            "error": job.error or "",
            "message": job.message or "",
        },
        link=f"/jobs/{job.id}",
    )


def register() -> None:
    from flowline.billing.public import register_low_balance_listener
    from flowline.jobs.public import register_finish_listener

    register_low_balance_listener(on_low_balance)
    register_finish_listener(on_job_finished)
