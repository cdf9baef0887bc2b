"""The envelope on success paths, and the request id every response carries."""

import pytest

from flowline.sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_detail_is_wrapped_in_the_success_envelope(owner):
    # given
    site = SiteFactory(account=owner.account)

    # when
    response = owner.client.get(f"{API}/auth/sites/{site.id}/")

    # then
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"success", "data", "message"}
    assert body["success"] is True
    assert body["data"]["id"] == site.id


def test_create_answers_201_in_the_success_envelope(owner):
    # when
    response = owner.client.post(f"{API}/auth/sites/", {"name": "Acme"}, format="json")

    # then
    body = response.json()
    assert response.status_code == 201
    assert body["success"] is True
    assert body["data"]["name"] == "Acme"
    assert "message" in body


def test_delete_answers_in_the_success_envelope(owner):
    # given
    site = SiteFactory(account=owner.account)

    # when
    response = owner.client.delete(f"{API}/auth/sites/{site.id}/")

    # then
    assert response.status_code == 200
    assert response.json() == {"success": True, "data": None, "message": "Deleted."}


def test_list_is_wrapped_in_the_list_envelope(owner):
    # given
    SiteFactory.create_batch(2, account=owner.account)

    # when
    response = owner.client.get(f"{API}/auth/sites/")

    # then
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"success", "count", "next", "previous", "results"}
    assert body["success"] is True
    assert body["count"] == 2
    assert body["next"] is None
    assert body["previous"] is None


def test_custom_action_is_wrapped_in_the_success_envelope(owner):
    # given
    site = SiteFactory(account=owner.account)

    # when
    response = owner.client.get(f"{API}/auth/sites/{site.id}/sectors/")

    # then
    assert response.status_code == 200
    assert response.json() == {"success": True, "data": [], "message": None}


def test_every_response_carries_a_request_id(owner, api_client):
    # when
    responses = [
        owner.client.get(f"{API}/auth/sites/"),
        api_client.get(f"{API}/auth/sites/"),
        api_client.get(f"{API}/nowhere/"),
        api_client.get("/admin/login/"),
    ]

    # then
    for response in responses:
        assert len(response["X-Request-ID"]) >= 16


def test_two_requests_get_different_request_ids(api_client):
    # when
    first = api_client.get(f"{API}/auth/plans/")
    second = api_client.get(f"{API}/auth/plans/")

    # then
    assert first.status_code == second.status_code == 200
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_sane_incoming_request_id_is_echoed(api_client):
    # when
    response = api_client.get(f"{API}/auth/plans/", HTTP_X_REQUEST_ID="trace-42.abc_DEF")

    # then
    assert response.status_code == 200
    assert response["X-Request-ID"] == "trace-42.abc_DEF"


@pytest.mark.parametrize(
    "malicious",
    [
        "<script>alert(1)</script>",
        "a" * 65,
        "id with spaces",
        "id;drop table",
        "../../etc/passwd",
        "",
    ],
)
def test_malicious_incoming_request_id_is_replaced(api_client, malicious):
    # when
    response = api_client.get(f"{API}/auth/plans/", HTTP_X_REQUEST_ID=malicious)

    # then
    assert response["X-Request-ID"] != malicious
    assert len(response["X-Request-ID"]) == 32


def test_error_body_request_id_equals_the_header(api_client):
    # when
    response = api_client.get(f"{API}/auth/sites/", HTTP_X_REQUEST_ID="client-trace-7")

    # then
    assert response.status_code == 401
    assert response.json()["request_id"] == "client-trace-7"
    assert response["X-Request-ID"] == "client-trace-7"


def test_generated_request_id_in_error_body_equals_the_header(api_client):
    # when
    response = api_client.get(f"{API}/auth/sites/")

    # then
    assert response.json()["request_id"] == response["X-Request-ID"]


@pytest.mark.parametrize(
    ("accept", "query", "status"),
    [
        (None, "", 200),
        ("*/*", "", 200),
        ("application/json", "", 200),
        ("application/json; indent=4", "", 200),
        ("text/csv", "", 406),
        ("*/*", "?format=xml", 404),
        ("*/*", "?format=json", 200),
    ],
)
def test_a_tenant_read_negotiates_its_content_type_as_drf_does(owner, accept, query, status):
    # given
    site = SiteFactory(account=owner.account)
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}

    # when
    response = owner.client.get(f"{API}/auth/sites/{site.id}/{query}", **headers)

    # then
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["data"]["id"] == site.id
