"""What billing tests check after every flow: the balance is the sum of its ledger."""

from django.db.models import Sum

from flowline.billing.models import CreditBalance, CreditTransaction


def balance_of(account_id: int) -> int:
    """The account's live balance; asserts it equals the sum of its ledger."""
    balance = CreditBalance.unscoped.get(account_id=account_id)
    ledger = CreditTransaction.unscoped.filter(account_id=account_id)
    assert balance.total == (ledger.aggregate(total=Sum("amount"))["total"] or 0)
    return balance.total


def ledger_count(account_id: int) -> int:
    return CreditTransaction.unscoped.filter(account_id=account_id).count()
