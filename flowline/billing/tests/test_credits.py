"""The credit ledger: grants, holds, charges, 402, expiry, low-balance, the endpoints."""

import pytest
from django.db.models import Sum
from django.utils import timezone

from flowline.billing.models import CreditBalance, CreditHold, CreditTransaction
from flowline.billing.public import start_paid_job
from flowline.billing.services import credits
from flowline.core.errors import ApplicationError, PaymentRequiredError
from flowline.jobs import public as jobs
from flowline.jobs.models import Job

API = "/api/v1/billing/credits"
pytestmark = pytest.mark.django_db


def _ledger_sum(account_id) -> int:
    return (
        CreditTransaction.unscoped.filter(account_id=account_id).aggregate(s=Sum("amount"))["s"]
        or 0
    )


def _balance(account_id) -> CreditBalance:
    return CreditBalance.unscoped.get(account_id=account_id)


def test_a_new_account_starts_with_its_plans_credits(owner):
    # then: the free plan's 100 credits, granted, expiring at the period end, in the ledger
    balance = owner.client.get(f"{API}/balance/balance/").json()["data"]
    assert balance["credits"] == balance["granted"] == balance["plan_credits_per_month"] == 100
    assert balance["granted_expires_at"] is not None
    entry = CreditTransaction.unscoped.get(account_id=owner.account_id)
    assert entry.transaction_type == "subscription" and entry.amount == 100


def test_granted_credits_are_spent_before_purchased_ones(owner):
    credits.credits_grant(account_id=owner.account_id, amount=30, transaction_type="purchase")
    credits.credits_charge(account_id=owner.account_id, operation_type="content", amount=110)
    balance = _balance(owner.account_id)
    assert (balance.granted, balance.purchased) == (0, 20)
    assert balance.total == _ledger_sum(owner.account_id)


def test_charging_more_than_available_is_402_and_changes_nothing(owner):
    with pytest.raises(PaymentRequiredError) as raised:
        credits.credits_charge(account_id=owner.account_id, operation_type="content", amount=101)
    assert raised.value.code == "insufficient_credits"
    assert raised.value.extra == {"credits_needed": 101, "credits_available": 100}
    assert _balance(owner.account_id).total == 100 == _ledger_sum(owner.account_id)


def test_a_paid_job_holds_credits_then_charges_them_when_it_succeeds(owner):
    # given: a job costing 10 (content) queued
    job = start_paid_job(kind="test.steps", account_id=owner.account_id, operation_type="content")
    balance = _balance(owner.account_id)
    assert (balance.total, balance.held, balance.available) == (100, 10, 90)
    # when
    jobs.run(job.id)
    # then
    balance = _balance(owner.account_id)
    assert (balance.total, balance.held) == (90, 0)
    assert CreditHold.unscoped.get(job_id=job.id).status == "captured"
    assert _ledger_sum(owner.account_id) == 90


def test_a_failed_job_is_not_charged(owner):
    job = start_paid_job(kind="test.broken", account_id=owner.account_id, operation_type="content")
    jobs.run(job.id)
    balance = _balance(owner.account_id)
    assert (balance.total, balance.held) == (100, 0)
    assert CreditHold.unscoped.get(job_id=job.id).status == "released"


def test_holds_keep_queued_work_from_overspending(owner):
    # given: ten content jobs (10 each) fill the 100 credits with holds
    for _ in range(10):
        start_paid_job(kind="test.steps", account_id=owner.account_id, operation_type="content")
    # when / then: the eleventh is refused before it is queued
    with pytest.raises(PaymentRequiredError):
        start_paid_job(kind="test.steps", account_id=owner.account_id, operation_type="content")
    assert Job.unscoped.filter(account_id=owner.account_id).count() == 10


def test_granted_credits_expire_at_the_end_of_their_period_purchased_ones_stay(owner):
    credits.credits_grant(account_id=owner.account_id, amount=40, transaction_type="purchase")
    later = _balance(owner.account_id).granted_expires_at + timezone.timedelta(seconds=1)
    entry = credits.granted_expire(account_id=owner.account_id, now=later)
    balance = _balance(owner.account_id)
    assert entry.transaction_type == "expiry" and entry.amount == -100
    assert (balance.granted, balance.purchased) == (0, 40) == (0, _ledger_sum(owner.account_id))


def test_low_balance_notification_fires_once_when_crossing_the_threshold(owner):
    heard = []
    credits.register_low_balance_listener(lambda account_id, total, threshold: heard.append(total))
    try:
        for _ in range(3):  # 100 -> 70 -> 40 (crosses 50) -> 10
            with _commit():
                credits.credits_charge(account_id=owner.account_id, operation_type="x", amount=30)
        assert heard == [40]
        with _commit():  # topped up above the threshold, then down again: one more
            credits.credits_grant(
                account_id=owner.account_id, amount=100, transaction_type="purchase"
            )
            credits.credits_charge(account_id=owner.account_id, operation_type="x", amount=80)
        assert heard == [40, 30]
    finally:
        credits._low_balance_listeners.pop()


def _commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_staff_adjusts_credits_with_a_reason_members_cannot(owner, member_factory):
    from flowline.core.testing.members import signed_in_client

    staff = owner.user
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    staff_client = signed_in_client(staff, owner.account_id)
    url = "/api/v1/admin/billing/credits/adjust/"
    response = staff_client.post(
        url, {"account_id": owner.account_id, "amount": 25, "reason": "goodwill"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["data"]["balance"]["credits"] == 125
    assert (
        staff_client.post(
            url, {"account_id": owner.account_id, "amount": 5, "reason": ""}, format="json"
        ).status_code
        == 400
    )
    admin = member_factory(owner, "admin")
    assert (
        admin.client.post(
            url, {"account_id": owner.account_id, "amount": 5, "reason": "x"}, format="json"
        ).status_code
        == 403
    )
    assert _balance(owner.account_id).total == 125 == _ledger_sum(owner.account_id)


def test_transactions_usage_and_summary_add_up_to_the_balance(owner):
    credits.credits_charge(
        account_id=owner.account_id,
        operation_type="content",
        amount=10,
        usage={"cost_usd": "0.25", "tokens_in": 100, "tokens_out": 900, "model": "m"},
    )
    credits.credits_charge(account_id=owner.account_id, operation_type="images", amount=3)
    listed = owner.client.get(f"{API}/transactions/").json()
    assert [row["amount"] for row in listed["results"]] == [-3, -10, 100]  # newest first
    only = owner.client.get(f"{API}/transactions/", {"transaction_type": "deduction"}).json()
    assert only["count"] == 2
    summary = owner.client.get(f"{API}/usage/summary/").json()["data"]
    assert summary["total_credits_used"] == 13
    assert summary["by_operation"] == {"content": 10, "images": 3}
    assert summary["total_cost_usd"] == pytest.approx(0.25)
    assert owner.client.get(f"{API}/usage/", {"operation_type": "images"}).json()["count"] == 1
    balance = owner.client.get(f"{API}/balance/balance/").json()["data"]
    assert balance["credits"] == 87 == sum(row["amount"] for row in listed["results"])
    assert balance["credits_used_this_month"] == 13


def test_estimate_tells_the_cost_before_running(owner):
    response = owner.client.post(
        f"{API}/balance/estimate/", {"operation_type": "images", "quantity": 4}, format="json"
    )
    assert response.json()["data"] == {
        "operation_type": "images",
        "quantity": 4,
        "unit": "image",
        "credits": 12,
        "available": 100,
        "sufficient": True,
    }
    bad = owner.client.post(f"{API}/balance/estimate/", {"operation_type": "nope"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_operation"


def test_limits_show_plan_limits_and_current_usage(owner):
    data = owner.client.get(f"{API}/usage/limits/").json()["data"]
    assert data["plan_limits"]["max_sites"] == 3
    assert data["current_usage"]["users"] == 1


def test_creating_beyond_the_plans_site_limit_is_402_naming_the_limit(owner):
    for n in range(3):
        assert (
            owner.client.post("/api/v1/auth/sites/", {"name": f"S{n}"}, format="json").status_code
            == 201
        )
    response = owner.client.post("/api/v1/auth/sites/", {"name": "One too many"}, format="json")
    assert response.status_code == 402
    body = response.json()
    assert body["code"] == "plan_limit_exceeded" and body["limit"] == "max_sites"


def test_negative_adjustment_beyond_the_balance_is_refused(owner):
    with pytest.raises(ApplicationError):
        credits.credits_adjust(
            account_id=owner.account_id, amount=-101, reason="oops", user_id=None
        )
    assert _balance(owner.account_id).total == 100
