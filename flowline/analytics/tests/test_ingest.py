"""Tracking events: batches, bad events reported by index, dedup, API keys, the log."""

import uuid

import pytest

from flowline.analytics.models import AnalyticsEvent, RollupState
from flowline.analytics.public import track_events
from flowline.core.roles import Role
from flowline.core.tenancy import tenant_scope
from flowline.sites.tests.factories import SiteFactory

API = "/api/v1/analytics"


def _stored(member) -> list[AnalyticsEvent]:
    with tenant_scope(member.account_id):
        return list(AnalyticsEvent.objects.order_by("id"))


@pytest.mark.django_db
def test_batch_stores_good_events_and_reports_bad_ones_by_index(owner, at):
    # given: five events, two of them wrong
    site = SiteFactory(account=owner.account)
    events = [
        {"event_type": "page_view", "session_id": "s1", "site": site.id, "occurred_at": at(1)},
        {"event_type": "Page View!", "session_id": "s1"},
        {"event_type": "purchase", "value": "19.90", "currency": "EUR", "platform": "instagram"},
        {"event_type": "add_to_cart", "platform": "myspace"},
        {"event_type": "post_engagement", "properties": {"likes": 3}, "platform": "facebook"},
    ]

    # when
    response = owner.client.post(f"{API}/events/", {"events": events}, format="json")

    # then: the good ones are stored, the bad ones named with their reason
    assert response.status_code == 201, response.content
    body = response.json()["data"]
    assert body["accepted"] == 3
    assert body["duplicates"] == 0
    assert [(r["index"], list(r["errors"])) for r in body["rejected"]] == [
        (1, ["event_type"]),
        (3, ["platform"]),
    ]
    stored = _stored(owner)
    assert [e.event_type for e in stored] == ["page_view", "purchase", "post_engagement"]
    assert stored[0].site_id == site.id
    assert str(stored[1].value) == "19.90" and stored[1].currency == "EUR"
    assert stored[2].properties == {"likes": 3}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("event", "field"),
    [
        ({"event_type": "x", "value": "1.005"}, "value"),
        ({"event_type": "x", "value": True}, "value"),
        ({"event_type": "x", "currency": "eur"}, "currency"),
        ({"event_type": "x", "occurred_at": "yesterday"}, "occurred_at"),
        ({"event_type": "x", "occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at"),
        ({"event_type": "x", "event_id": "not-a-uuid"}, "event_id"),
        ({"event_type": "x", "session_id": "s" * 65}, "session_id"),
        ({"event_type": "x", "properties": [1]}, "properties"),
        ({"event_type": "x", "account": 1}, "account"),
        ({"platform": "web"}, "event_type"),
        ({"event_type": "x", "platform": {}}, "platform"),
        ({"event_type": "x", "platform": ["web"]}, "platform"),
        ({"event_type": "x", "site": 2**63}, "site"),
        ({"event_type": "x", "site": 2**70}, "site"),
    ],
)
def test_a_single_bad_event_is_a_400_naming_the_field(owner, event, field):
    # when
    response = owner.client.post(f"{API}/events/", event, format="json")

    # then
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert _stored(owner) == []


@pytest.mark.django_db
def test_an_event_cannot_name_another_accounts_site(owner, other_owner):
    # given
    foreign = SiteFactory(account=other_owner.account)

    # when
    response = owner.client.post(
        f"{API}/events/", {"events": [{"event_type": "page_view", "site": foreign.id}]}
    )

    # then
    assert response.status_code == 400
    assert response.json()["errors"]["events"][0]["errors"] == {
        "site": ["No such site in this account."]
    }


@pytest.mark.django_db
@pytest.mark.parametrize("events", [[], "nope", [{"event_type": "x"}] * 1001])
def test_a_batch_must_hold_1_to_1000_events(owner, events):
    # when
    response = owner.client.post(f"{API}/events/", {"events": events}, format="json")

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_batch"


@pytest.mark.django_db
def test_a_retried_batch_is_stored_once_by_event_id(owner, track):
    # given: a batch whose events carry client ids, one of them twice
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    events = [
        {"event_type": "purchase", "event_id": first, "value": 10},
        {"event_type": "purchase", "event_id": second, "value": 20},
        {"event_type": "purchase", "event_id": first, "value": 10},
        {"event_type": "page_view"},
    ]
    assert track(owner, events).json()["data"] == {
        "accepted": 3,
        "duplicates": 1,
        "rejected": [],
    }

    # when: the client retries the batch
    retried = track(owner, events[:2], expect=200).json()["data"]

    # then
    assert retried == {"accepted": 0, "duplicates": 2, "rejected": []}
    assert len(_stored(owner)) == 3


@pytest.mark.django_db
def test_the_same_event_id_in_two_accounts_is_two_events(owner, other_owner, track):
    # given
    event = {"event_type": "purchase", "event_id": str(uuid.uuid4())}

    # when
    track(owner, [event])
    track(other_owner, [event])

    # then
    assert len(_stored(owner)) == len(_stored(other_owner)) == 1


@pytest.mark.django_db
def test_an_analytics_write_key_tracks_and_reads_analytics_only(owner, keyed_client, at):
    # given: a server-side tracker's key
    client = keyed_client(owner, ["analytics:write"])

    # when
    tracked = client.post(f"{API}/events/", {"event_type": "purchase", "value": 5})
    dashboard = client.get(f"{API}/dashboard/")
    sites = client.get("/api/v1/auth/sites/")
    products = client.get("/api/v1/products/")

    # then
    assert tracked.status_code == 201, tracked.content
    assert dashboard.status_code == 200
    assert dashboard.json()["data"]["totals"]["counts"]["purchase"] == 1
    assert sites.status_code == 403
    assert products.status_code == 403


@pytest.mark.django_db
def test_a_read_key_cannot_track(owner, keyed_client):
    # given
    client = keyed_client(owner, ["analytics:read"])

    # when
    response = client.post(f"{API}/events/", {"event_type": "page_view"})

    # then
    assert response.status_code == 403
    assert _stored(owner) == []


@pytest.mark.django_db
def test_viewers_read_but_do_not_track(owner, member_factory):
    # given
    viewer = member_factory(owner, Role.VIEWER)

    # when
    tracked = viewer.client.post(f"{API}/events/", {"event_type": "page_view"})
    listed = viewer.client.get(f"{API}/events/")

    # then
    assert tracked.status_code == 403
    assert listed.status_code == 200


@pytest.mark.django_db
def test_the_log_lists_newest_first_with_filters(owner, track, at):
    # given
    track(
        owner,
        [
            {"event_type": "page_view", "platform": "web", "occurred_at": at(3)},
            {"event_type": "purchase", "platform": "instagram", "occurred_at": at(2)},
            {"event_type": "page_view", "platform": "instagram", "occurred_at": at(0)},
        ],
    )

    # when
    everything = owner.client.get(f"{API}/events/").json()
    instagram_views = owner.client.get(
        f"{API}/events/", {"platform": "instagram", "event_type": "page_view"}
    ).json()
    older = owner.client.get(f"{API}/events/", {"date_to": at(2)[:10]}).json()

    # then
    assert [row["occurred_at"][:10] for row in everything["results"]] == [
        at(0)[:10],
        at(2)[:10],
        at(3)[:10],
    ]
    assert instagram_views["count"] == 1
    assert [row["event_type"] for row in older["results"]] == ["purchase", "page_view"]


@pytest.mark.django_db
def test_tracking_marks_the_rollup_behind_from_the_earliest_day(owner, track, at, today):
    # when
    track(owner, [{"event_type": "page_view", "occurred_at": at(0)}])
    track(owner, [{"event_type": "page_view", "occurred_at": at(5)}])
    track(owner, [{"event_type": "page_view", "occurred_at": at(2)}])

    # then
    state = RollupState.unscoped.get(account_id=owner.account_id)
    assert state.dirty_from.isoformat() == at(5)[:10]
    assert state.version == 3


@pytest.mark.django_db
def test_other_apps_track_through_the_public_function(owner):
    # when
    result = track_events(
        account_id=owner.account_id,
        events=[{"event_type": "message_received", "platform": "whatsapp"}, {"bad": 1}],
    )

    # then
    assert (result.accepted, [r["index"] for r in result.rejected]) == (1, [1])
    assert _stored(owner)[0].platform == "whatsapp"
