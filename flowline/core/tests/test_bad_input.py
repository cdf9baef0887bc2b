"""Bad input anywhere gets a 4xx in the envelope, never a 500."""

import pytest
from django.test import override_settings

from flowline.sites.models import Site
from flowline.sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_malformed_json_is_400_parse_error(owner):
    # when
    response = owner.client.post(
        f"{API}/auth/sites/", data='{"name": "Acme",', content_type="application/json"
    )

    # then
    body = response.json()
    assert response.status_code == 400
    assert body["success"] is False
    assert body["code"] == "parse_error"
    assert body["request_id"] == response["X-Request-ID"]


def test_malformed_json_on_a_public_endpoint_is_400_parse_error(api_client):
    # when
    response = api_client.post(
        f"{API}/auth/login/", data="{not json", content_type="application/json"
    )

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize(
    "payload",
    [
        {"name": ["a", "list"]},
        {"name": {"an": "object"}},
        {"name": "Acme", "status": "exploded"},
        {"name": "Acme", "industry": "not-an-id"},
        {"name": "Acme", "url": 12},
        {"name": None},
    ],
)
def test_wrong_types_are_400_validation_errors(owner, payload):
    # when
    response = owner.client.post(f"{API}/auth/sites/", payload, format="json")

    # then
    body = response.json()
    assert response.status_code == 400, body
    assert body["code"] == "validation_error"
    assert body["errors"]


@pytest.mark.parametrize("payload", [[1, 2], "a string", 42, None])
def test_json_that_is_not_an_object_is_400(owner, payload):
    # when
    response = owner.client.post(f"{API}/auth/sites/", payload, format="json")

    # then
    assert response.status_code == 400
    assert response.json()["success"] is False


@pytest.mark.parametrize(
    "payload",
    [
        {"ids": "1,2"},
        {"ids": []},
        {"ids": ["x"]},
        {"ids": [0]},
        {"ids": [-3]},
        {"ids": [{"id": 1}]},
        {},
        [1, 2],
    ],
)
def test_bulk_delete_with_bad_ids_is_400(owner, payload):
    # given
    SiteFactory(account=owner.account)

    # when
    response = owner.client.post(f"{API}/auth/sites/bulk_delete/", payload, format="json")

    # then
    assert response.status_code == 400, response.content
    assert response.json()["success"] is False
    assert Site.unscoped.filter(account=owner.account).count() == 1


def test_bulk_delete_with_unknown_fields_is_400(owner):
    # given
    site = SiteFactory(account=owner.account)

    # when
    response = owner.client.post(
        f"{API}/auth/sites/bulk_delete/", {"ids": [site.id], "force": True}, format="json"
    )

    # then
    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "validation_error"
    assert "force" in body["errors"]
    assert Site.unscoped.filter(id=site.id).exists()


def test_bulk_delete_with_another_accounts_id_is_404_and_deletes_nothing(owner, other_owner):
    # given
    mine = SiteFactory(account=owner.account)
    theirs = SiteFactory(account=other_owner.account)

    # when
    response = owner.client.post(
        f"{API}/auth/sites/bulk_delete/", {"ids": [mine.id, theirs.id]}, format="json"
    )

    # then
    body = response.json()
    assert response.status_code == 404
    assert body["code"] == "not_found"
    assert body["errors"] == {"ids": [theirs.id]}
    assert Site.unscoped.filter(id__in=[mine.id, theirs.id]).count() == 2


def test_bulk_delete_of_own_ids_answers_with_the_count(owner):
    # given
    sites = SiteFactory.create_batch(3, account=owner.account)
    kept = SiteFactory(account=owner.account)

    # when
    response = owner.client.post(
        f"{API}/auth/sites/bulk_delete/", {"ids": [s.id for s in sites]}, format="json"
    )

    # then
    assert response.status_code == 200
    assert response.json()["data"] == {"deleted_count": 3}
    assert list(Site.unscoped.filter(account=owner.account)) == [kept]


@override_settings(FLOWLINE_MAX_BODY_BYTES=1024)
def test_oversize_json_body_is_413(owner):
    # given
    payload = {"name": "Acme", "description": "x" * 2048}

    # when
    response = owner.client.post(f"{API}/auth/sites/", payload, format="json")

    # then
    body = response.json()
    assert response.status_code == 413
    assert body["success"] is False
    assert body["code"] == "payload_too_large"
    assert body["request_id"] == response["X-Request-ID"]
    assert not Site.unscoped.filter(account=owner.account).exists()


@override_settings(FLOWLINE_MAX_BODY_BYTES=1024)
def test_oversize_body_is_413_before_authentication(api_client):
    # when
    response = api_client.post(
        f"{API}/auth/login/", {"email": "a@b.c", "password": "x" * 4096}, format="json"
    )

    # then
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


@override_settings(FLOWLINE_MAX_BODY_BYTES=1024, DATA_UPLOAD_MAX_MEMORY_SIZE=512)
def test_form_body_over_djangos_own_limit_is_413(owner):
    # given: under the middleware's limit, over Django's
    form = "name=" + "x" * 800

    # when
    response = owner.client.post(
        f"{API}/auth/sites/", data=form, content_type="application/x-www-form-urlencoded"
    )

    # then
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
