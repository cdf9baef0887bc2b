"""Issue 4's story over HTTP: a new account's plan credits pay for AI work until they run
out (402 with a clear message), a credit package bought through Stripe's webhook tops it
up, and the work continues; usage and transactions add up to the balance."""

import pytest
from django.db.models import Sum

from flowline.billing.models import CreditPackage, CreditTransaction
from flowline.core.testing.client import CommittingAPIClient
from flowline.jobs import public as jobs
from flowline.jobs.models import Job
from flowline.sandbox.stripe.webhooks import event, signed_webhook

pytestmark = pytest.mark.django_db


def _generate(member, n: int):
    return member.client.post(
        "/api/v1/ai/generate/",
        {"prompt": f"Tagline {n}"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=f"tagline-{n}",
    )


def test_plan_credits_run_out_then_a_bought_package_lets_work_continue(owner, fake_stripe):
    # given: the free plan's 100 credits, every AI text generation costing 1 credit
    balance = owner.client.get("/api/v1/billing/credits/balance/balance/").json()["data"]
    assert balance["credits"] == balance["plan_credits_per_month"] == 100
    # the account spends 95 on content elsewhere first
    from flowline.billing.services import credits

    credits.credits_charge(account_id=owner.account_id, operation_type="content", amount=95)

    # when: it runs AI operations until the credits run out (each job runs to completion)
    statuses = []
    for n in range(7):
        response = _generate(owner, n)
        statuses.append(response.status_code)
        if response.status_code == 201:
            jobs.run(response.json()["data"]["task_id"])

    # then: five ran, the sixth got a clear 402 saying what is needed
    assert statuses == [201] * 5 + [402, 402]
    refusal = _generate(owner, 99).json()
    assert refusal["code"] == "insufficient_credits"
    assert refusal["credits_needed"] == 1 and refusal["credits_available"] == 0
    assert "Not enough credits" in refusal["error"]

    # when: the owner buys a credit package and Stripe confirms it by webhook
    package = CreditPackage.objects.get(slug="credits-500")
    purchase = owner.client.post(
        f"/api/v1/billing/credit-packages/{package.id}/purchase/", {}, format="json"
    )
    assert purchase.status_code == 201, purchase.content
    session = fake_stripe.complete_session(purchase.json()["data"]["session_id"])
    body, signature = signed_webhook(event("checkout.session.completed", session))
    confirmed = CommittingAPIClient().post(
        "/api/v1/billing/webhooks/stripe/",
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )
    assert confirmed.status_code == 200

    # then: the work continues (the refused request, retried with its key, now runs)
    retried = _generate(owner, 5)
    assert retried.status_code == 201
    jobs.run(retried.json()["data"]["task_id"])
    balance = owner.client.get("/api/v1/billing/credits/balance/balance/").json()["data"]
    assert balance["credits"] == 499 and balance["purchased"] == 499 and balance["held"] == 0

    # and everything adds up: the ledger, the usage summary, the completed jobs
    ledger = CreditTransaction.unscoped.filter(account_id=owner.account_id)
    assert ledger.aggregate(s=Sum("amount"))["s"] == balance["credits"]
    listed = owner.client.get("/api/v1/billing/credits/transactions/", {"page_size": 100}).json()
    assert sum(row["amount"] for row in listed["results"]) == balance["credits"]
    summary = owner.client.get("/api/v1/billing/credits/usage/summary/").json()["data"]
    assert summary["by_operation"] == {"content": 95, "ai_text": 6}
    assert summary["total_credits_used"] == 100 + 500 - balance["credits"]
    assert Job.unscoped.filter(account_id=owner.account_id, status="completed").count() == 6
