"""003 `system/request-metrics/{request_id}/`: timings, queries and status of the
account's own requests, kept for a bounded time."""

import pytest

from flowline.core.roles import Role

pytestmark = pytest.mark.django_db

METRICS = "/api/v1/system/request-metrics/"


def test_a_request_can_be_looked_up_by_its_request_id(owner):
    # given: a request the client tagged
    owner.client.get("/api/v1/auth/sites/", HTTP_X_REQUEST_ID="trace-sites-1")

    # when
    response = owner.client.get(f"{METRICS}trace-sites-1/")

    # then
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["method"], data["path"], data["status_code"]) == (
        "GET",
        "/api/v1/auth/sites/",
        200,
    )
    assert data["db_query_count"] >= 2  # the membership lookup, the count, the page
    assert data["duration_ms"] >= data["db_time_ms"] >= 0
    assert data["user_id"] == owner.user.id
    for key in ("cpu_percent", "memory_mb", "io_read_mb", "io_write_mb", "cpu_time_ms"):
        assert data[key] >= 0


def test_the_generated_request_id_works_too_and_failures_are_recorded(owner):
    # given
    failed = owner.client.get("/api/v1/auth/sites/999999/")

    # when
    response = owner.client.get(f"{METRICS}{failed['X-Request-ID']}/")

    # then
    assert response.json()["data"]["status_code"] == 404


def test_another_accounts_request_is_404(owner, other_owner):
    # given
    other_owner.client.get("/api/v1/auth/sites/", HTTP_X_REQUEST_ID="theirs-1")

    # when
    response = owner.client.get(f"{METRICS}theirs-1/")

    # then
    assert response.status_code == 404


def test_members_read_their_own_requests_admins_everyones(owner, member_factory):
    # given
    viewer = member_factory(owner, Role.VIEWER)
    owner.client.get("/api/v1/auth/sites/", HTTP_X_REQUEST_ID="owners-1")
    viewer.client.get("/api/v1/auth/sites/", HTTP_X_REQUEST_ID="viewers-1")

    # when / then
    assert viewer.client.get(f"{METRICS}viewers-1/").status_code == 200
    assert viewer.client.get(f"{METRICS}owners-1/").status_code == 404
    assert owner.client.get(f"{METRICS}viewers-1/").status_code == 200


def test_metrics_are_kept_only_for_the_configured_time(owner, settings):
    # given: a retention of 0 seconds keeps nothing
    settings.FLOWLINE_REQUEST_METRICS_TTL = 0
    owner.client.get("/api/v1/auth/sites/", HTTP_X_REQUEST_ID="gone-1")

    # when
    response = owner.client.get(f"{METRICS}gone-1/")

    # then
    assert response.status_code == 404


def test_unknown_or_malformed_ids_are_404_and_anonymous_is_401(owner, api_client):
    # when
    unknown = owner.client.get(f"{METRICS}never-sent/")
    malformed = owner.client.get(f"{METRICS}{'x' * 65}/")
    anonymous = api_client.get(f"{METRICS}never-sent/")

    # then
    assert (unknown.status_code, malformed.status_code, anonymous.status_code) == (
        404,
        404,
        401,
    )
