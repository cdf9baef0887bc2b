"""Every error path answers in the error envelope with the right status and code."""

import pytest
from django.test import override_settings

from flowline.core.roles import Role
from flowline.core.testing.client import CommittingAPIClient
from flowline.sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
ERROR_KEYS = {"success", "error", "errors", "code", "request_id"}


def assert_error(response, status: int, code: str) -> dict:
    body = response.json()
    assert response.status_code == status, body
    assert set(body) >= ERROR_KEYS, body
    assert body["success"] is False
    assert body["code"] == code
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["errors"], dict)
    assert body["request_id"] == response["X-Request-ID"]
    return body


def test_validation_error_is_400_with_field_errors(owner):
    # when
    response = owner.client.post(f"{API}/auth/sites/", {"url": "not a url"}, format="json")

    # then
    body = assert_error(response, 400, "validation_error")
    assert "name" in body["errors"]
    assert "url" in body["errors"]


def test_unauthenticated_is_401(api_client):
    # when
    response = api_client.get(f"{API}/auth/sites/")

    # then
    assert_error(response, 401, "not_authenticated")
    assert "WWW-Authenticate" in response


def test_garbage_bearer_token_is_401(api_client):
    # given
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")

    # when
    response = api_client.get(f"{API}/auth/sites/")

    # then
    assert_error(response, 401, "token_not_valid")


def test_role_too_low_is_403(owner, member_factory):
    # given
    viewer = member_factory(owner, Role.VIEWER)

    # when
    response = viewer.client.post(f"{API}/auth/sites/", {"name": "Nope"}, format="json")

    # then
    assert_error(response, 403, "permission_denied")


def test_unknown_object_is_404(owner):
    # when
    response = owner.client.get(f"{API}/auth/sites/987654/")

    # then
    assert_error(response, 404, "not_found")


def test_other_accounts_object_is_404_not_403(owner, other_owner):
    # given
    site = SiteFactory(account=other_owner.account)

    # when
    response = owner.client.get(f"{API}/auth/sites/{site.id}/")

    # then
    assert_error(response, 404, "not_found")


def test_method_not_allowed_is_405(owner, api_client):
    # when
    on_list = owner.client.put(f"{API}/auth/sites/", {}, format="json")
    on_public = api_client.delete(f"{API}/auth/plans/")

    # then
    assert_error(on_list, 405, "method_not_allowed")
    assert_error(on_public, 405, "method_not_allowed")


def test_unsupported_media_type_is_415(owner):
    # when
    response = owner.client.post(f"{API}/auth/sites/", data="name=x", content_type="text/plain")

    # then
    assert_error(response, 415, "unsupported_media_type")


def test_unknown_api_path_is_404_in_the_envelope(api_client):
    # when
    response = api_client.get(f"{API}/no-such-module/")

    # then
    assert response["Content-Type"] == "application/json"
    assert_error(response, 404, "not_found")


def test_unknown_path_outside_the_api_keeps_djangos_html_404(api_client):
    # when
    response = api_client.get("/no-such-page/")

    # then
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@override_settings(ROOT_URLCONF="flowline.core.tests.boom_urls")
def test_unhandled_exception_in_an_api_view_is_500_in_the_envelope(caplog):
    # given
    client = CommittingAPIClient(raise_request_exception=False)

    # when
    response = client.get(f"{API}/test/explode/", HTTP_X_REQUEST_ID="trace-500")

    # then
    body = assert_error(response, 500, "server_error")
    assert body["request_id"] == "trace-500"
    assert "boom" not in response.content.decode()
    assert any("boom" in str(record.exc_info) for record in caplog.records)


@override_settings(ROOT_URLCONF="flowline.core.tests.boom_urls")
def test_unhandled_exception_in_a_plain_view_under_api_is_500_in_the_envelope():
    # given
    client = CommittingAPIClient(raise_request_exception=False)

    # when
    response = client.get(f"{API}/test/explode-plain/")

    # then
    assert response["Content-Type"] == "application/json"
    assert_error(response, 500, "server_error")


@override_settings(ROOT_URLCONF="flowline.core.tests.boom_urls")
def test_unhandled_exception_outside_the_api_keeps_djangos_html_500():
    # given
    client = CommittingAPIClient(raise_request_exception=False)

    # when
    response = client.get("/not-api/explode/")

    # then
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["auth/sites/", "auth/plans/", "system/settings/account/"])
def test_error_envelope_never_leaks_a_traceback(api_client, path):
    # when
    response = api_client.post(f"{API}/{path}", data="{", content_type="application/json")

    # then
    assert response.status_code in (400, 401, 405)
    assert "Traceback" not in response.content.decode()
    assert response.json()["success"] is False


def test_disallowed_host_under_the_api_is_400_in_the_envelope(api_client):
    # when: Django refuses the Host header before any view runs
    response = api_client.get(f"{API}/auth/plans/", HTTP_HOST="evil.example")

    # then
    assert response["Content-Type"] == "application/json"
    assert_error(response, 400, "bad_request")
