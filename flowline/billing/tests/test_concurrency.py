"""Money under concurrency: real threads on PostgreSQL (SQLite has no row locks)."""

import pytest
from django.db import connection
from django.db.models import Sum

from flowline.billing.models import CreditBalance, CreditTransaction
from flowline.billing.services import credits
from flowline.core.errors import PaymentRequiredError
from flowline.core.testing.race import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_100_concurrent_one_credit_charges_against_50_leave_exactly_50(owner):
    # given: a balance of exactly 50
    credits.credits_adjust(account_id=owner.account_id, amount=-50, reason="set up", user_id=None)

    def charge() -> str:
        try:
            credits.credits_charge(account_id=owner.account_id, operation_type="ai_text", amount=1)
        except PaymentRequiredError:
            return "refused"
        return "charged"

    # when
    outcomes = race(charge, count=100)

    # then
    assert outcomes.count("charged") == 50 and outcomes.count("refused") == 50
    balance = CreditBalance.unscoped.get(account_id=owner.account_id)
    assert balance.total == 0 and balance.held == 0
    ledger = CreditTransaction.unscoped.filter(account_id=owner.account_id)
    assert ledger.aggregate(s=Sum("amount"))["s"] == 0
    assert ledger.filter(transaction_type="deduction").count() == 50
