"""After the load: wait for every job to end, then check in the database that nothing was
lost or charged twice (runs in a Django process of its own)."""

from __future__ import annotations

import time

TERMINAL = ("completed", "failed", "cancelled")


def verify(spec: dict) -> dict:
    """Wait for the jobs to end, then check that nothing was lost or charged twice."""
    from django.db.models import Count, Q, Sum

    from flowline.analytics.models import AnalyticsEvent
    from flowline.billing.models import CreditBalance, CreditHold, CreditTransaction
    from flowline.chat.models import Message
    from flowline.jobs.models import Job

    accounts = spec["accounts"]
    jobs = Job.unscoped.filter(account_id__in=accounts)
    deadline = time.monotonic() + spec["grace"]
    waited = time.monotonic()
    while jobs.exclude(status__in=TERMINAL).exists() and time.monotonic() < deadline:
        time.sleep(1)
    waited = time.monotonic() - waited
    statuses: dict[str, dict[str, int]] = {}
    for row in jobs.values("kind", "status").annotate(n=Count("id")):
        statuses.setdefault(row["kind"], {})[row["status"]] = row["n"]
    unfinished = list(
        jobs.exclude(status__in=TERMINAL).values_list("id", "kind", "status", "attempts")[:20]
    )
    answered = set(spec["job_ids"])
    known = {str(i) for i in jobs.values_list("id", flat=True)}
    missing = sorted(answered - known)
    failures = list(
        jobs.filter(status="failed").values("kind", "error_code", "error").annotate(n=Count("id"))
    )[:20]

    holds = CreditHold.unscoped.filter(account_id__in=accounts)
    held_after_end = list(
        holds.filter(
            status="held", job_id__in=jobs.filter(status__in=TERMINAL).values("id")
        ).values_list("job_id", flat=True)[:20]
    )
    captured = {}
    for job_id, n in holds.filter(status="captured").values_list("job_id").annotate(n=Count("id")):
        captured[str(job_id)] = n
    deductions = {}
    for reference, n in (
        CreditTransaction.unscoped.filter(account_id__in=accounts, transaction_type="deduction")
        .values_list("reference")
        .annotate(n=Count("id"))
    ):
        deductions[reference] = n
    job_status = {str(i): s for i, s in jobs.values_list("id", "status")}
    charge_problems = []
    paid_completed = 0
    for job_id, status in job_status.items():
        charged, holds_captured = deductions.get(job_id, 0), captured.get(job_id, 0)
        if holds_captured:
            paid_completed += status == "completed"
        if charged != holds_captured:
            charge_problems.append((job_id, status, f"{charged} charges, {holds_captured} holds"))
        elif status != "completed" and charged:
            charge_problems.append((job_id, status, f"charged {charged} but {status}"))
    paid_kinds = set(spec["paid_kinds"])
    uncharged = [
        (str(i), k)
        for i, k in jobs.filter(status="completed", kind__in=paid_kinds).values_list("id", "kind")
        if not captured.get(str(i))
    ]
    ledger_problems = []
    for balance in CreditBalance.unscoped.filter(account_id__in=accounts):
        ledger = CreditTransaction.unscoped.filter(account_id=balance.account_id).aggregate(
            total=Sum("amount")
        )["total"]
        held = (
            holds.filter(account_id=balance.account_id, status="held").aggregate(
                total=Sum("amount")
            )["total"]
            or 0
        )
        if ledger != balance.granted + balance.purchased or held != balance.held:
            ledger_problems.append(
                {
                    "account": balance.account_id,
                    "balance": balance.granted + balance.purchased,
                    "ledger": ledger,
                    "held": balance.held,
                    "holds": held,
                }
            )
    inbound = Message.unscoped.filter(account_id__in=accounts, direction="inbound").aggregate(
        n=Count("id"), distinct=Count("external_id", distinct=True)
    )
    outbound = Message.unscoped.filter(account_id__in=accounts, direction="outbound").aggregate(
        n=Count("id"), failed=Count("id", filter=Q(delivery_status="failed"))
    )
    events = AnalyticsEvent.unscoped.filter(account_id__in=accounts).count()
    return {
        "waited_s": round(waited, 1),
        "jobs": statuses,
        "jobs_total": len(job_status),
        "jobs_unfinished": [list(map(str, row)) for row in unfinished],
        "jobs_answered": len(answered),
        "jobs_missing": missing[:20],
        "jobs_failed": [{k: str(v)[:200] for k, v in row.items()} for row in failures],
        "paid_completed": paid_completed,
        "holds_left_after_end": [str(i) for i in held_after_end],
        "charge_problems": charge_problems[:20],
        "charge_problem_count": len(charge_problems),
        "completed_uncharged": uncharged[:20],
        "ledger_problems": ledger_problems,
        "chat_inbound": inbound["n"],
        "chat_inbound_distinct": inbound["distinct"],
        "chat_outbound": outbound["n"],
        "chat_outbound_failed": outbound["failed"],
        "events_stored": events,
    }
