"""`POST ai/generate/` end to end: a real server, its worker, the fake provider, Socket.IO."""

import httpx
import pytest

from flowline.ai.testing.fixtures import use_fake_openai
from flowline.billing.models import CreditBalance, CreditUsage
from flowline.realtime.testing import connect_client, live_asgi_server, member_token

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_generation_job_streams_progress_charges_once_and_a_bad_key_fails_clearly(
    owner, fake_openai
):
    provider = use_fake_openai(owner.account_id, fake_openai)
    with live_asgi_server() as base_url:
        client, events = connect_client(
            base_url, auth={"token": member_token(owner)}, events=("task_update",)
        )
        http = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {member_token(owner)}"}
        )
        try:
            # when: a generation is submitted over HTTP
            response = http.post(
                "/api/v1/ai/generate/", json={"prompt": "Write a tagline for yoga mats"}
            )
            assert response.status_code == 201, response.text
            started = response.json()["data"]
            task_id = started["task_id"]
            assert started["credits_held"] == 1

            # then: task_update events rise to completed, the progress endpoint agrees
            _, done = events.wait_for(
                lambda n, d: d["id"] == task_id and d["status"] == "completed"
            )
            seen = [d["progress"] for d in events.of("task_update") if d["id"] == task_id]
            assert seen == sorted(seen) and seen[-1] == 100 and len(seen) >= 3
            assert done["result"]["text"].startswith("Fake reply to:")
            progress = http.get(f"/api/v1/system/settings/task_progress/{task_id}/").json()["data"]
            assert progress["state"] == "SUCCESS" and progress["meta"]["percentage"] == 100
            balance = CreditBalance.unscoped.get(account_id=owner.account_id)
            assert (balance.total, balance.held) == (99, 0)
            usage = CreditUsage.unscoped.get(account_id=owner.account_id, job_id=task_id)
            assert usage.tokens_out > 0 and usage.cost_usd > 0

            # and: with a key the provider rejects, the job fails with a clear error, uncharged
            provider.api_key = "bad-key"
            provider.save()
            failing = http.post("/api/v1/ai/generate/", json={"prompt": "Again"}).json()["data"]
            _, failed = events.wait_for(
                lambda n, d: d["id"] == failing["task_id"] and d["status"] == "failed"
            )
            assert failed["error_code"] == "bad_key" and "key" in failed["error"].lower()
            balance.refresh_from_db()
            assert (balance.total, balance.held) == (99, 0)
        finally:
            client.disconnect()
            http.close()


def test_generation_without_credits_is_402_and_queues_nothing(owner):
    from flowline.billing import public as credits
    from flowline.jobs.models import Job

    credits.credits_charge(account_id=owner.account_id, operation_type="x", amount=100)
    response = owner.client.post("/api/v1/ai/generate/", {"prompt": "hi"}, format="json")
    assert response.status_code == 402
    body = response.json()
    assert body["code"] == "insufficient_credits" and body["credits_needed"] == 1
    assert not Job.unscoped.filter(account_id=owner.account_id).exists()


def test_an_agent_of_another_account_is_400(owner, other_owner):
    from flowline.ai.tests.factories import AIAgentFactory

    foreign = AIAgentFactory(account=other_owner.account)
    response = owner.client.post(
        "/api/v1/ai/generate/", {"prompt": "hi", "agent_id": foreign.id}, format="json"
    )
    assert response.status_code == 400
