"""Idempotency-Key: a replay returns the same answer and does the work once."""

import pytest

from flowline.billing.models import CreditBalance, CreditHold
from flowline.core.roles import Role
from flowline.jobs.models import Job

URL = "/api/v1/test/start-job/"
pytestmark = [pytest.mark.django_db, pytest.mark.urls("flowline.core.tests.idempotency_urls")]


def test_replaying_a_key_returns_the_same_answer_and_does_the_work_once(owner):
    # given
    first = owner.client.post(URL, {"steps": 2}, format="json", HTTP_IDEMPOTENCY_KEY="order-42")
    # when
    again = owner.client.post(URL, {"steps": 2}, format="json", HTTP_IDEMPOTENCY_KEY="order-42")
    # then
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Job.unscoped.filter(account_id=owner.account_id).count() == 1
    assert CreditHold.unscoped.filter(account_id=owner.account_id).count() == 1
    assert CreditBalance.unscoped.get(account_id=owner.account_id).held == 10


def test_the_same_key_with_another_body_is_a_conflict(owner):
    owner.client.post(URL, {"steps": 2}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    response = owner.client.post(URL, {"steps": 3}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Job.unscoped.filter(account_id=owner.account_id).count() == 1


def test_keys_are_per_account(owner, other_owner):
    owner.client.post(URL, {"steps": 2}, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    response = other_owner.client.post(
        URL, {"steps": 2}, format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert response.status_code == 201
    assert Job.unscoped.filter(account_id=other_owner.account_id).count() == 1


def test_two_members_of_one_account_using_the_same_key_get_independent_results(
    owner, member_factory
):
    # given: a colleague in the same account already used the key "daily-report"
    colleague = member_factory(owner, Role.EDITOR, email="colleague@example.com")
    mine = owner.client.post(URL, {"steps": 2}, format="json", HTTP_IDEMPOTENCY_KEY="daily-report")
    # when: the other member sends the same key (and the same body)
    theirs = colleague.client.post(
        URL, {"steps": 2}, format="json", HTTP_IDEMPOTENCY_KEY="daily-report"
    )
    # then: the work is done for each of them, neither sees the other's answer
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs
    assert theirs.json()["data"]["task_id"] != mine.json()["data"]["task_id"]
    assert Job.unscoped.filter(account_id=owner.account_id).count() == 2
    # and each one's replay is still their own
    replay = colleague.client.post(
        URL, {"steps": 2}, format="json", HTTP_IDEMPOTENCY_KEY="daily-report"
    )
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == theirs.json()


def test_a_member_cannot_learn_a_colleagues_key_by_sending_another_body(owner, member_factory):
    # given
    colleague = member_factory(owner, Role.EDITOR, email="colleague@example.com")
    owner.client.post(URL, {"steps": 2}, format="json", HTTP_IDEMPOTENCY_KEY="k-private")
    # when: a 409 would tell the colleague this key is in use in the account
    response = colleague.client.post(
        URL, {"steps": 3}, format="json", HTTP_IDEMPOTENCY_KEY="k-private"
    )
    # then
    assert response.status_code == 201


def test_a_refused_request_can_be_retried_with_the_same_key(owner):
    # given: no credits left, the first attempt is refused
    from flowline.billing import public as credits

    credits.credits_charge(account_id=owner.account_id, operation_type="x", amount=95)
    refused = owner.client.post(URL, {"steps": 1}, format="json", HTTP_IDEMPOTENCY_KEY="retry-me")
    assert refused.status_code == 402
    # when: credits arrive and the client retries with the same key
    credits.credits_grant(account_id=owner.account_id, amount=50, transaction_type="purchase")
    retried = owner.client.post(URL, {"steps": 1}, format="json", HTTP_IDEMPOTENCY_KEY="retry-me")
    # then: the work happens now
    assert retried.status_code == 201
    assert Job.unscoped.filter(account_id=owner.account_id).count() == 1


def test_a_malformed_key_is_400(owner):
    response = owner.client.post(URL, {}, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
