"""Client event ids count once however batches arrive: retried, nested in a larger
transaction, or racing each other (real threads on PostgreSQL), and the rollup built
from them matches what was stored."""

import uuid

import pytest
from django.db import connection, transaction

from flowline.analytics.models import AnalyticsEvent
from flowline.analytics.public import track_events
from flowline.analytics.services.rollup import daily_metrics_rollup
from flowline.core.tenancy import tenant_scope
from flowline.core.testing.members import signed_in_client
from flowline.core.testing.race import race

API = "/api/v1/analytics"


def _count(member) -> int:
    with tenant_scope(member.account_id):
        return AnalyticsEvent.objects.count()


@pytest.mark.django_db
def test_batches_without_ids_in_one_transaction_are_all_stored(owner):
    # given: two batches of events without client ids, within one outer transaction
    batch = [{"event_type": "page_view"}, {"event_type": "purchase", "value": 3}]

    # when
    with transaction.atomic():
        first = track_events(account_id=owner.account_id, events=batch)
        second = track_events(account_id=owner.account_id, events=batch)

    # then: each stores its own events, nothing of the first is stored twice
    assert (first.accepted, second.accepted) == (2, 2)
    assert _count(owner) == 4


@pytest.mark.django_db
def test_a_batch_mixing_new_and_known_ids_stores_only_the_new(owner, track):
    # given
    known = str(uuid.uuid4())
    track(owner, [{"event_type": "purchase", "event_id": known, "value": 5}])
    fresh = [str(uuid.uuid4()) for _ in range(3)]
    events = [
        {"event_type": "purchase", "event_id": known, "value": 5},
        *({"event_type": "page_view", "event_id": event_id} for event_id in fresh),
        {"event_type": "page_view", "event_id": fresh[0]},
        {"event_type": "page_view"},
        {"event_type": "Bad!"},
    ]

    # when
    body = track(owner, events).json()["data"]

    # then
    assert (body["accepted"], body["duplicates"]) == (4, 2)
    assert [r["index"] for r in body["rejected"]] == [6]
    assert _count(owner) == 5


@pytest.mark.django_db
def test_a_retry_after_the_rollup_changes_no_figure(owner, track, at):
    # given: a batch stored and rolled up
    events = [
        {"event_type": "purchase", "event_id": str(uuid.uuid4()), "value": 10, "occurred_at": at(2)}
        for _ in range(3)
    ]
    track(owner, events)
    daily_metrics_rollup(account_id=owner.account_id)
    before = owner.client.get(f"{API}/dashboard/").json()["data"]["totals"]

    # when: the client resends it
    retried = track(owner, events, expect=200).json()["data"]

    # then
    assert (retried["accepted"], retried["duplicates"]) == (0, 3)
    after = owner.client.get(f"{API}/dashboard/").json()["data"]["totals"]
    assert after == before
    assert after["counts"]["purchase"] == 3 and after["revenue"] == "30.00"


@pytest.mark.django_db
def test_big_integers_are_kept_exactly_and_bad_json_is_a_400(owner, track):
    # given: a property beyond 64 bits (orjson would read it as a float)
    big = 2**70

    # when
    stored = track(owner, [{"event_type": "page_view", "properties": {"n": big}}])
    broken = owner.client.post(
        f"{API}/events/", data=b'{"events": [', content_type="application/json"
    )
    not_a_number = owner.client.post(
        f"{API}/events/", data=b'{"event_type": "x", "value": NaN}', content_type="application/json"
    )

    # then
    assert stored.json()["data"]["accepted"] == 1
    with tenant_scope(owner.account_id):
        assert AnalyticsEvent.objects.get().properties == {"n": big}
    assert broken.status_code == 400
    assert not_a_number.status_code == 400


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_racing_retries_of_one_batch_store_each_event_once(owner):
    # given: one batch of 200 events with client ids, sent by 6 clients at once
    events = [
        {"event_type": "page_view", "event_id": str(uuid.uuid4()), "session_id": f"s{n}"}
        for n in range(200)
    ]

    def send() -> dict:
        client = signed_in_client(owner.user, owner.account_id)
        response = client.post(f"{API}/events/", {"events": events}, format="json")
        assert response.status_code in (200, 201), response.content
        return response.json()["data"]

    # when
    answers = race(send, count=6)

    # then: stored once, and the answers add up to exactly that
    assert _count(owner) == 200
    assert sum(answer["accepted"] for answer in answers) == 200
    assert sum(answer["duplicates"] for answer in answers) == 5 * 200
