"""Money under concurrency: real threads on PostgreSQL (SQLite has no row locks)."""

import threading

import pytest
from django.db import connection
from django.db.models import Sum

from flowline.billing.models import CreditBalance, CreditTransaction
from flowline.billing.services import credits
from flowline.core.errors import PaymentRequiredError

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_100_concurrent_one_credit_charges_against_50_leave_exactly_50(owner):
    # given: a balance of exactly 50
    credits.credits_adjust(account_id=owner.account_id, amount=-50, reason="set up", user_id=None)
    start = threading.Barrier(100)
    outcomes: list[str] = []
    lock = threading.Lock()

    def charge():
        from django.db import connection as thread_connection

        try:
            start.wait()
            credits.credits_charge(account_id=owner.account_id, operation_type="ai_text", amount=1)
            result = "charged"
        except PaymentRequiredError:
            result = "refused"
        finally:
            thread_connection.close()
        with lock:
            outcomes.append(result)

    # when
    threads = [threading.Thread(target=charge) for _ in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then
    assert outcomes.count("charged") == 50 and outcomes.count("refused") == 50
    balance = CreditBalance.unscoped.get(account_id=owner.account_id)
    assert balance.total == 0 and balance.held == 0
    ledger = CreditTransaction.unscoped.filter(account_id=owner.account_id)
    assert ledger.aggregate(s=Sum("amount"))["s"] == 0
    assert ledger.filter(transaction_type="deduction").count() == 50
