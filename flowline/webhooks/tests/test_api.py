"""`/api/v1/webhooks/` over HTTP: secrets shown once, roles, pings, the log's filters."""

import pytest

from flowline.core.roles import Role
from flowline.webhooks import services
from flowline.webhooks.models import WebhookDelivery
from flowline.webhooks.public import emit
from flowline.webhooks.tests.conftest import signature_is_valid
from flowline.webhooks.tests.factories import WebhookDeliveryFactory, WebhookEndpointFactory

API = "/api/v1/webhooks"
pytestmark = pytest.mark.django_db


def _create(member, url, events=("*",)):
    return member.client.post(
        f"{API}/endpoints/", {"url": url, "event_types": list(events)}, format="json"
    )


def test_a_rotated_secret_is_shown_once_and_the_old_one_stops_verifying(owner, receiver):
    # given
    endpoint = _create(owner, receiver.url).json()["data"]
    old_secret = endpoint["secret"]

    # when
    rotated = owner.client.post(f"{API}/endpoints/{endpoint['id']}/rotate_secret/")
    listed = owner.client.get(f"{API}/endpoints/").json()["results"]
    emit(account_id=owner.account_id, event_type="job.completed", payload={"id": "1"})
    services.deliver_due()

    # then
    new_secret = rotated.json()["data"]["secret"]
    assert rotated.status_code == 200 and new_secret != old_secret
    assert "secret" not in listed[0] and listed[0]["secret_masked"].endswith(new_secret[-4:])
    (request,) = receiver.requests
    assert signature_is_valid(new_secret, request)
    assert not signature_is_valid(old_secret, request)


def test_members_read_endpoints_and_the_log_but_only_admins_change_them(
    owner, receiver, member_factory
):
    # given
    endpoint = _create(owner, receiver.url).json()["data"]
    delivery = WebhookDeliveryFactory(
        account=owner.account, endpoint_id=endpoint["id"], status="failed"
    )
    viewer = member_factory(owner, Role.VIEWER)
    admin = member_factory(owner, Role.ADMIN)
    detail = f"{API}/endpoints/{endpoint['id']}/"

    # when / then: a viewer reads (masked) and is refused every write
    seen = viewer.client.get(detail)
    assert seen.status_code == 200 and "secret" not in seen.json()["data"]
    assert viewer.client.get(f"{API}/deliveries/").json()["count"] == 1
    assert _create(viewer, receiver.url).status_code == 403
    assert viewer.client.patch(detail, {"is_active": False}, format="json").status_code == 403
    assert viewer.client.post(f"{detail}rotate_secret/").status_code == 403
    assert viewer.client.post(f"{detail}test/").status_code == 403
    assert viewer.client.post(f"{API}/deliveries/{delivery.id}/redeliver/").status_code == 403
    assert viewer.client.delete(detail).status_code == 403
    assert receiver.requests == []
    # and an admin may
    assert admin.client.patch(detail, {"description": "CRM"}, format="json").status_code == 200
    assert admin.client.delete(detail).status_code == 200


def test_a_ping_that_fails_is_logged_once_and_not_retried(owner, receiver):
    # given
    endpoint = _create(owner, receiver.url, events=["job.completed"]).json()["data"]
    receiver.status = 500

    # when
    response = owner.client.post(f"{API}/endpoints/{endpoint['id']}/test/")

    # then
    data = response.json()["data"]
    assert response.status_code == 200
    assert (data["status"], data["attempts"], data["last_response_status"]) == ("failed", 1, 500)
    assert data["next_attempt_at"] is None
    assert receiver.requests[0]["headers"]["X-Flowline-Event"] == "ping"


def test_event_types_must_be_registered_and_are_listed(owner, receiver):
    # when
    refused = _create(owner, receiver.url, events=["job.completed", "job.exploded"])
    empty = _create(owner, receiver.url, events=[])
    listed = owner.client.get(f"{API}/event-types/")

    # then
    assert refused.status_code == 400 and refused.json()["code"] == "unknown_event_type"
    assert refused.json()["errors"] == {"event_types": ["Unknown event type 'job.exploded'."]}
    assert empty.status_code == 400
    names = [row["name"] for row in listed.json()["data"]]
    shipped = {"credits.low", "job.completed", "job.failed", "message.received", "post.failed"}
    assert shipped | {"post.published"} <= set(names)


def test_an_internal_url_is_refused_on_create_and_on_change(owner, receiver):
    # given
    endpoint = WebhookEndpointFactory(account=owner.account)

    # when: the receiver's own host:port is allow-listed, not these
    created = _create(owner, f"http://127.0.0.1:{receiver.port + 1}/hook")
    changed = owner.client.patch(
        f"{API}/endpoints/{endpoint.id}/", {"url": "http://[::ffff:10.0.0.1]/"}, format="json"
    )

    # then
    for response in (created, changed):
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "forbidden_url"
        assert body["errors"] == {"url": ["Internal addresses are not allowed."]}
    endpoint.refresh_from_db()
    assert endpoint.url.startswith("https://hooks")


def test_the_log_filters_by_endpoint_status_and_event_type(owner):
    # given
    first, second = (WebhookEndpointFactory(account=owner.account) for _ in range(2))
    failed = WebhookDeliveryFactory(account=owner.account, endpoint=first, status="failed")
    WebhookDeliveryFactory(account=owner.account, endpoint=second, status="succeeded")
    posted = WebhookDeliveryFactory(
        account=owner.account, endpoint=second, status="succeeded", event_type="post.published"
    )

    def ids(**params):
        rows = owner.client.get(f"{API}/deliveries/", params).json()["results"]
        return {row["id"] for row in rows}

    # when / then
    assert ids(endpoint=first.id) == {failed.id}
    assert ids(status="failed") == {failed.id}
    assert ids(event_type="post.published") == {posted.id}
    assert owner.client.get(f"{API}/deliveries/", {"status": "lost"}).status_code == 400


def test_redeliver_makes_one_attempt_now_and_answers_what_happened(owner, receiver):
    # given: a delivery that ran out of attempts while the receiver was down
    endpoint = WebhookEndpointFactory(account=owner.account, url=receiver.url)
    delivery = WebhookDeliveryFactory(
        account=owner.account, endpoint=endpoint, status="failed", attempts=6, max_attempts=6
    )

    # when
    response = owner.client.post(f"{API}/deliveries/{delivery.id}/redeliver/")

    # then
    data = response.json()["data"]
    assert (data["status"], data["attempts"], data["last_response_status"]) == (
        "succeeded",
        7,
        200,
    )
    assert receiver.requests[0]["headers"]["X-Flowline-Delivery"] == str(delivery.id)


@pytest.mark.parametrize(("route", "queries"), [("endpoints", 3), ("deliveries", 2)])
def test_list_query_count_does_not_grow_with_rows(owner, route, queries, django_assert_num_queries):
    # given
    endpoint = WebhookEndpointFactory(account=owner.account)
    for _ in range(20):
        WebhookEndpointFactory(account=owner.account)
        WebhookDeliveryFactory(account=owner.account, endpoint=endpoint)
    owner.client.get(f"{API}/{route}/")  # warm up what authentication caches

    # when / then: the membership behind the token, the count, the page; the deliveries'
    # large-list pagination skips the count when the page ends the list
    with django_assert_num_queries(queries):
        response = owner.client.get(f"{API}/{route}/", {"page_size": 20})
    assert len(response.json()["results"]) == 20
    assert WebhookDelivery.unscoped.count() == 20
