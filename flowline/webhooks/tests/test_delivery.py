"""Delivery through the services against a real receiver on 127.0.0.1: claims, leases,
retries, what is kept of answers, and the address a request really goes to."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from flowline.core.errors import ConflictError
from flowline.core.testing.outbound import internal_service
from flowline.core.testing.race import race
from flowline.webhooks import sending, services
from flowline.webhooks.models import WebhookDelivery
from flowline.webhooks.public import emit, event_types, register_event_type
from flowline.webhooks.tests.factories import WebhookDeliveryFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db


def _pending(owner, receiver, **kwargs) -> WebhookDelivery:
    endpoint = WebhookEndpointFactory(account=owner.account, url=receiver.url)
    return WebhookDeliveryFactory(
        account=owner.account,
        endpoint=endpoint,
        status="pending",
        next_attempt_at=timezone.now(),
        **kwargs,
    )


def test_emit_reaches_only_active_endpoints_subscribed_to_the_type(owner, other_owner):
    # given
    wanted = WebhookEndpointFactory(account=owner.account, event_types=["post.published"])
    everything = WebhookEndpointFactory(account=owner.account, event_types=["*"])
    WebhookEndpointFactory(account=owner.account, event_types=["post.failed"])
    WebhookEndpointFactory(account=owner.account, event_types=["*"], is_active=False)
    WebhookEndpointFactory(account=other_owner.account, event_types=["*"])

    # when
    queued = emit(account_id=owner.account_id, event_type="post.published", payload={"id": 7})

    # then
    assert queued == 2
    assert set(WebhookDelivery.unscoped.values_list("endpoint_id", flat=True)) == {
        wanted.id,
        everything.id,
    }


def test_emit_refuses_an_event_type_nobody_registered(owner):
    # when / then
    with pytest.raises(ValueError, match=r"post\.exploded"):
        emit(account_id=owner.account_id, event_type="post.exploded", payload={})


def test_a_rolled_back_emit_sends_nothing_and_a_committed_one_is_sent_after_commit(
    owner, receiver, eager_tasks, django_capture_on_commit_callbacks
):
    # given
    WebhookEndpointFactory(account=owner.account, url=receiver.url, event_types=["*"])

    # when: the caller's transaction fails after emitting
    with pytest.raises(RuntimeError), transaction.atomic():
        emit(account_id=owner.account_id, event_type="credits.low", payload={"balance": 1})
        raise RuntimeError("the caller's work failed")

    # then: no delivery was kept, nothing was sent
    assert not WebhookDelivery.unscoped.exists()

    # when: it commits
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        emit(account_id=owner.account_id, event_type="credits.low", payload={"balance": 1})
        assert receiver.requests == []  # never sent inside the transaction

    # then
    assert len(receiver.requests) == 1
    assert WebhookDelivery.unscoped.get().status == "succeeded"


def test_an_attempt_in_progress_is_not_made_again_nor_redelivered(owner, receiver):
    # given: a worker leased the delivery a moment ago and is sending it
    delivery = _pending(owner, receiver)
    services.deliver(delivery.id)  # succeeded; now pretend another attempt is in flight
    WebhookDelivery.unscoped.filter(id=delivery.id).update(
        status="pending", attempts=2, next_attempt_at=timezone.now() + services.LEASE
    )

    # when
    outcome = services.deliver(delivery.id)
    swept = services.deliver_due()
    with pytest.raises(ConflictError) as refused:
        services.redeliver(delivery=delivery)

    # then
    assert (outcome, swept) == ("skipped", {})
    assert refused.value.code == "delivery_in_progress"
    assert len(receiver.requests) == 1


def test_an_attempt_whose_worker_died_is_made_again_after_the_lease(owner, receiver):
    # given: claimed (attempt 2 counted) by a worker that died before recording it
    delivery = _pending(owner, receiver, attempts=2)
    leased_until = timezone.now() + services.LEASE
    WebhookDelivery.unscoped.filter(id=delivery.id).update(next_attempt_at=leased_until)

    # when
    before = services.deliver_due()
    after = services.deliver_due(now=leased_until + timedelta(seconds=1))

    # then
    assert (before, after) == ({}, {"succeeded": 1})
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.requests)) == ("succeeded", 3, 1)


def test_a_last_attempt_whose_worker_died_ends_failed_without_sending(owner, receiver):
    # given
    delivery = _pending(owner, receiver, attempts=6, max_attempts=6)

    # when
    outcome = services.deliver_due(now=timezone.now() + timedelta(seconds=1))

    # then
    delivery.refresh_from_db()
    assert outcome == {"failed": 1}
    assert (delivery.status, receiver.requests) == ("failed", [])
    assert "worker stopped" in delivery.last_error


def test_a_disabled_endpoint_gets_nothing_more(owner, receiver):
    # given: queued, then the endpoint is switched off
    delivery = _pending(owner, receiver)
    delivery.endpoint.is_active = False
    delivery.endpoint.save()

    # when
    services.deliver(delivery.id)

    # then
    delivery.refresh_from_db()
    assert (delivery.status, receiver.requests) == ("failed", [])
    assert delivery.last_error == "The endpoint is disabled."


def test_a_redirect_is_not_followed_and_counts_as_a_failed_attempt(owner, receiver):
    # given: the receiver redirects to an internal service
    with internal_service() as internal:
        receiver.status, receiver.location = 302, f"{internal.url}/latest/meta-data/"
        delivery = _pending(owner, receiver)

        # when
        outcome = services.deliver(delivery.id)

    # then
    delivery.refresh_from_db()
    assert outcome == "retrying"
    assert (delivery.last_response_status, len(receiver.requests)) == (302, 1)
    assert internal.requests == []


def test_a_huge_answer_is_cut_to_what_the_log_keeps(owner, receiver):
    # given
    receiver.body = b"x" * 500_000
    delivery = _pending(owner, receiver)

    # when
    services.deliver(delivery.id)

    # then
    delivery.refresh_from_db()
    assert delivery.status == "succeeded"
    assert delivery.last_response_body == "x" * sending.RESPONSE_BODY_LIMIT


def test_a_url_repointed_to_an_internal_address_fails_at_delivery_without_sending(
    owner, receiver, settings
):
    # given: saved while it was allowed (think: the name now resolves to 127.0.0.1)
    delivery = _pending(owner, receiver)
    settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = []

    # when
    outcome = services.deliver(delivery.id)

    # then: no request left, and it is not retried
    delivery.refresh_from_db()
    assert (outcome, receiver.requests) == ("failed", [])
    assert delivery.last_error.startswith(f"Not sent: 127.0.0.1:{receiver.port} is an internal")


def test_apps_register_their_event_types():
    # when
    register_event_type("invoice.paid", "An invoice was paid.")

    # then
    assert ("invoice.paid", "An invoice was paid.") in event_types()
    with pytest.raises(ValueError):
        register_event_type("Invoice Paid", "not a name")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_sweeps_make_each_attempt_once(owner, receiver):
    # given: many deliveries due at once
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks; the claim runs serially there")
    endpoint = WebhookEndpointFactory(account=owner.account, url=receiver.url)
    now = timezone.now()
    for _ in range(30):
        WebhookDeliveryFactory(
            account=owner.account, endpoint=endpoint, status="pending", next_attempt_at=now
        )

    # when
    outcomes = race(lambda: services.deliver_due(now=now + timedelta(seconds=1)), count=2)

    # then: 30 requests, one per delivery, each delivery attempted once
    delivered = sorted(int(r["headers"]["X-Flowline-Delivery"]) for r in receiver.requests)
    ids = sorted(WebhookDelivery.unscoped.values_list("id", flat=True))
    assert delivered == ids
    assert sum(result.get("succeeded", 0) for result in outcomes) == 30
    assert set(WebhookDelivery.unscoped.values_list("status", "attempts")) == {("succeeded", 1)}
