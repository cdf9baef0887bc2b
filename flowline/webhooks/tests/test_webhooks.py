"""Outbound webhooks against a real receiver on 127.0.0.1: signed, retried, logged."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from flowline.jobs import public as jobs
from flowline.webhooks import services
from flowline.webhooks.models import WebhookDelivery
from flowline.webhooks.public import emit
from flowline.webhooks.tests.conftest import signature_is_valid

API = "/api/v1/webhooks"
pytestmark = pytest.mark.django_db


def _endpoint(owner, receiver, events=("job.completed",)):
    response = owner.client.post(
        f"{API}/endpoints/", {"url": receiver.url, "event_types": list(events)}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()["data"]


def test_a_finished_job_is_delivered_signed_with_the_secret_shown_once(owner, receiver):
    # given: an endpoint subscribed to finished jobs; its secret is shown only at creation
    endpoint = _endpoint(owner, receiver)
    secret = endpoint["secret"]
    assert secret.startswith("whsec_")
    shown_later = owner.client.get(f"{API}/endpoints/{endpoint['id']}/").json()["data"]
    assert "secret" not in shown_later and shown_later["secret_masked"].endswith(secret[-4:])
    # when: a job completes
    job = jobs.job_start(kind="test.steps", account_id=owner.account_id, payload={"steps": 1})
    jobs.run(job.id)
    services.deliver_due()
    # then: the receiver got one signed event it can verify
    (request,) = receiver.requests
    assert signature_is_valid(secret, request)
    body = json.loads(request["body"])
    assert body["type"] == "job.completed" and body["data"]["id"] == str(job.id)
    assert request["headers"]["X-Flowline-Event"] == "job.completed"
    delivery = WebhookDelivery.unscoped.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_status) == (
        "succeeded",
        1,
        200,
    )


def test_failed_deliveries_retry_with_growing_backoff_then_succeed(owner, receiver):
    _endpoint(owner, receiver, events=["*"])
    receiver.status = 500
    emit(account_id=owner.account_id, event_type="credits.low", payload={"balance": 10})
    now = timezone.now()
    assert services.deliver_due(now=now) == {"retrying": 1}
    delivery = WebhookDelivery.unscoped.get()
    first_wait = delivery.next_attempt_at - now
    assert delivery.last_response_status == 500 and first_wait >= timedelta(seconds=30)
    # not due yet: nothing is sent
    assert services.deliver_due(now=now + timedelta(seconds=5)) == {}
    later = delivery.next_attempt_at
    assert services.deliver_due(now=later) == {"retrying": 1}
    delivery.refresh_from_db()
    assert delivery.next_attempt_at - later > first_wait
    receiver.status = 204
    assert services.deliver_due(now=delivery.next_attempt_at) == {"succeeded": 1}
    assert len(receiver.requests) == 3


def test_attempts_are_bounded_then_a_delivery_can_be_redelivered_by_hand(owner, receiver):
    _endpoint(owner, receiver, events=["*"])
    receiver.status = 503
    emit(account_id=owner.account_id, event_type="ping", payload={})
    moment = timezone.now()
    for _ in range(10):
        services.deliver_due(now=moment)
        moment += timedelta(days=1)
    delivery = WebhookDelivery.unscoped.get()
    assert (delivery.status, delivery.attempts) == ("failed", 6)
    assert len(receiver.requests) == 6
    receiver.status = 200
    response = owner.client.post(f"{API}/deliveries/{delivery.id}/redeliver/")
    assert response.json()["data"]["status"] == "succeeded"
    assert len(receiver.requests) == 7


def test_only_active_endpoints_subscribed_to_the_event_get_it(owner, receiver):
    _endpoint(owner, receiver, events=["job.failed"])
    other = _endpoint(owner, receiver, events=["credits.low"])
    owner.client.patch(f"{API}/endpoints/{other['id']}/", {"is_active": False}, format="json")
    assert emit(account_id=owner.account_id, event_type="credits.low", payload={}) == 0
    assert emit(account_id=owner.account_id, event_type="job.failed", payload={}) == 1


def test_unknown_event_types_are_refused(owner, receiver):
    response = owner.client.post(
        f"{API}/endpoints/", {"url": receiver.url, "event_types": ["nope"]}, format="json"
    )
    assert response.status_code == 400


def test_internal_urls_are_refused_when_saved_and_when_used(owner, receiver, settings):
    # an endpoint saved while its address was allowed
    _endpoint(owner, receiver, events=["*"])
    settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = []
    refused = owner.client.post(
        f"{API}/endpoints/", {"url": receiver.url, "event_types": ["*"]}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["code"] == "forbidden_url"
    # fails at delivery without sending
    emit(account_id=owner.account_id, event_type="ping", payload={})
    services.deliver_due()
    delivery = WebhookDelivery.unscoped.get()
    assert receiver.requests == [] and "internal" in delivery.last_error


def test_the_test_action_pings_now_and_members_cannot_manage_endpoints(
    owner, receiver, member_factory
):
    endpoint = _endpoint(owner, receiver, events=["job.completed"])
    response = owner.client.post(f"{API}/endpoints/{endpoint['id']}/test/")
    assert response.status_code == 200, response.content
    result = response.json()["data"]
    assert result["status"] == "succeeded" and result["event_type"] == "ping"
    editor = member_factory(owner, "editor")
    assert (
        editor.client.post(
            f"{API}/endpoints/", {"url": receiver.url, "event_types": ["*"]}, format="json"
        ).status_code
        == 403
    )
    assert editor.client.get(f"{API}/deliveries/").status_code == 200
    types = {row["name"] for row in owner.client.get(f"{API}/event-types/").json()["data"]}
    assert {"job.completed", "credits.low", "message.received", "post.published"} <= types
