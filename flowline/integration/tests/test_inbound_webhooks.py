"""`webhooks/wordpress/status/` and `.../metadata/`: the site tells us about its posts,
authenticated by an account API key or an HMAC signature; a replay changes nothing."""

import json
import time

import pytest
from rest_framework.test import APIClient

from flowline.identity.public import api_key_create
from flowline.integration.models import SyncEvent
from flowline.integration.services.inbound import signature
from flowline.integration.tests.factories import PublishRecordFactory

pytestmark = pytest.mark.django_db

STATUS = "/api/v1/webhooks/wordpress/status/"
METADATA = "/api/v1/webhooks/wordpress/metadata/"


@pytest.fixture
def record(owner):
    return PublishRecordFactory(account=owner.account, external_id="321", post_status="publish")


def _signed(url, integration, body: dict, *, secret=None, timestamp=None, client=None):
    raw = json.dumps(body).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    return (client or APIClient()).post(
        url,
        raw,
        content_type="application/json",
        HTTP_X_FLOWLINE_INTEGRATION=str(integration.id),
        HTTP_X_FLOWLINE_SIGNATURE=signature(secret or integration.webhook_secret, timestamp, raw),
    )


def _key(member, scopes=("integration:write",)) -> str:
    return api_key_create(
        account_id=member.account_id, user=member.user, name="WordPress", scopes=list(scopes)
    ).secret


def test_a_signed_status_change_updates_the_record(record):
    body = {"event_id": "evt-1", "post_id": 321, "status": "draft"}

    response = _signed(STATUS, record.integration, body)

    assert response.status_code == 200, response.content
    assert response.json()["data"] == {
        "event_id": "evt-1",
        "result": "applied",
        "record_id": record.id,
    }
    record.refresh_from_db()
    assert record.post_status == "draft" and record.remote["status"] == "draft"


def test_a_replayed_event_is_acknowledged_and_changes_nothing(record):
    # given
    _signed(STATUS, record.integration, {"event_id": "evt-2", "post_id": 321, "status": "draft"})
    record.post_status = "publish"
    record.save()

    # when: the same event again (Stripe-style retries or an attacker's replay)
    response = _signed(
        STATUS, record.integration, {"event_id": "evt-2", "post_id": 321, "status": "draft"}
    )

    # then
    assert response.status_code == 200 and response.json()["data"]["result"] == "duplicate"
    record.refresh_from_db()
    assert record.post_status == "publish"
    assert SyncEvent.unscoped.filter(event_id="evt-2").count() == 1


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "invalid_signature"),
        ({"HTTP_X_FLOWLINE_SIGNATURE": "t=1,v1=abc"}, "stale_signature"),
        ({"HTTP_X_FLOWLINE_SIGNATURE": "garbage"}, "invalid_signature"),
    ],
)
def test_missing_or_malformed_signatures_are_401(record, headers, code):
    response = APIClient().post(
        STATUS,
        {"event_id": "e", "post_id": 321, "status": "draft"},
        format="json",
        HTTP_X_FLOWLINE_INTEGRATION=str(record.integration.id),
        **headers,
    )

    assert response.status_code == 401
    assert response.json()["code"] == code


def test_a_wrong_secret_a_tampered_body_or_an_old_timestamp_is_401(record):
    integration = record.integration
    body = {"event_id": "evt-3", "post_id": 321, "status": "trash"}

    wrong_secret = _signed(STATUS, integration, body, secret="wpsec_guess")
    stale = _signed(STATUS, integration, body, timestamp=int(time.time()) - 301)
    raw = json.dumps(body).encode()
    tampered = APIClient().post(
        STATUS,
        raw.replace(b"trash", b"draft"),
        content_type="application/json",
        HTTP_X_FLOWLINE_INTEGRATION=str(integration.id),
        HTTP_X_FLOWLINE_SIGNATURE=signature(integration.webhook_secret, int(time.time()), raw),
    )

    assert [r.status_code for r in (wrong_secret, stale, tampered)] == [401, 401, 401]
    assert stale.json()["code"] == "stale_signature"
    record.refresh_from_db()
    assert record.post_status == "publish"
    assert not SyncEvent.unscoped.filter(event_id="evt-3").exists()


def test_another_integrations_secret_does_not_sign_for_this_one(owner, other_owner, record):
    other = PublishRecordFactory(account=other_owner.account).integration
    body = {"event_id": "evt-4", "post_id": 321, "status": "draft"}

    response = _signed(STATUS, record.integration, body, secret=other.webhook_secret)

    assert response.status_code == 401


def test_an_api_key_of_the_account_authenticates_metadata(owner, record):
    # given
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {_key(owner)}")
    body = {
        "event_id": "meta-1",
        "integration_id": record.integration_id,
        "post_id": 321,
        "title": "Renamed on the site",
        "link": "https://blog.example.com/renamed/",
        "categories": ["Coffee"],
        "tags": ["brewing"],
        "extra_field_from_a_newer_plugin": True,
    }

    # when
    response = client.post(METADATA, body, format="json")

    # then
    assert response.status_code == 200, response.content
    assert response.json()["data"]["result"] == "applied"
    record.refresh_from_db()
    assert record.remote["title"] == "Renamed on the site"
    assert record.remote["categories"] == ["Coffee"]
    assert record.url == "https://blog.example.com/renamed/"


def test_an_api_key_reaches_only_its_own_accounts_integrations(owner, other_owner, record):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {_key(other_owner)}")
    body = {
        "event_id": "x",
        "integration_id": record.integration_id,
        "post_id": 321,
        "status": "draft",
    }

    response = client.post(STATUS, body, format="json")

    assert response.status_code == 404
    record.refresh_from_db()
    assert record.post_status == "publish"


def test_bad_keys_and_keys_without_the_scope_are_refused(owner, record):
    body = {
        "event_id": "y",
        "integration_id": record.integration_id,
        "post_id": 321,
        "status": "draft",
    }
    unknown, read_only = APIClient(), APIClient()
    unknown.credentials(HTTP_AUTHORIZATION="Api-Key flk_nope_nope")
    read_only.credentials(HTTP_AUTHORIZATION=f"Api-Key {_key(owner, ['sites:read'])}")

    assert unknown.post(STATUS, body, format="json").status_code == 401
    refused = read_only.post(STATUS, body, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "api_key_scope"


def test_an_event_about_a_post_we_did_not_publish_is_acknowledged(record):
    body = {"event_id": "evt-5", "post_id": 999, "status": "draft"}

    response = _signed(STATUS, record.integration, body)

    assert response.status_code == 200 and response.json()["data"]["result"] == "unknown_post"


def test_a_signed_body_missing_fields_is_400(record):
    response = _signed(STATUS, record.integration, {"event_id": "evt-6"})

    assert response.status_code == 400 and "post_id" in response.json()["errors"]
