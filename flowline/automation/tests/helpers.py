"""Drive automation runs in tests: exact credit balances, and the run's job run here."""

from flowline.automation.models import AutomationRun
from flowline.billing import public as credits
from flowline.billing.models import CreditTransaction
from flowline.jobs import public as jobs


def set_credits(account_id: int, amount: int) -> None:
    """Make the account's available balance exactly `amount`."""
    change = amount - credits.available_credits(account_id=account_id)
    if change:
        credits.credits_adjust(account_id=account_id, amount=change, reason="test", user_id=None)


def drive(run) -> str:
    """Run the run's current job in this thread, as a worker would."""
    job_id = AutomationRun.unscoped.get(id=run.id).job_id
    return jobs.run(job_id)


def charges(account_id: int) -> list[tuple[str, int]]:
    """The ledger's deductions, oldest first: (operation type, credits)."""
    rows = CreditTransaction.unscoped.filter(
        account_id=account_id, transaction_type=CreditTransaction.Type.DEDUCTION
    ).order_by("id")
    return [(row.operation_type, -row.amount) for row in rows]
