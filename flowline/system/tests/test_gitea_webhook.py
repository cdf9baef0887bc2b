"""003 `POST system/webhook/`: Gitea's signed deliveries, recorded once, replays refused."""

import hashlib
import hmac
import json

import pytest

from flowline.system.models import GiteaDelivery

pytestmark = pytest.mark.django_db

WEBHOOK = "/api/v1/system/webhook/"
SECRET = "gitea-hook-secret"
PUSH = {
    "ref": "refs/heads/main",
    "before": "a" * 40,
    "after": "b" * 40,
    "commits": [{"id": "b" * 40, "message": "Fix"}],
    "repository": {"full_name": "acme/site"},
    "sender": {"login": "ana"},
}


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.GITEA_WEBHOOK_SECRET = SECRET


def _deliver(client, payload, *, delivery="d-1", event="push", secret=SECRET, signature=None):
    body = json.dumps(payload).encode()
    sig = signature or hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        WEBHOOK,
        body,
        content_type="application/json",
        HTTP_X_GITEA_SIGNATURE=sig,
        HTTP_X_GITEA_DELIVERY=delivery,
        HTTP_X_GITEA_EVENT=event,
    )


def test_a_signed_push_is_recorded(api_client):
    # when
    response = _deliver(api_client, PUSH, delivery="3f2a-push-1")

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["success"], body["message"]) == (True, "Webhook processed")
    assert body["data"]["summary"] == {"before": "a" * 40, "after": "b" * 40, "commits": 1}
    row = GiteaDelivery.objects.get(delivery_id="3f2a-push-1")
    assert (row.event, row.repository, row.ref, row.sender) == (
        "push",
        "acme/site",
        "refs/heads/main",
        "ana",
    )


def test_a_pull_request_is_summarised(api_client):
    # given
    payload = {"action": "opened", "pull_request": {"number": 7, "title": "Add"}}

    # when
    response = _deliver(api_client, payload, delivery="pr-7", event="pull_request")

    # then
    assert response.json()["data"]["summary"] == {"number": 7, "title": "Add", "merged": False}
    assert GiteaDelivery.objects.get(delivery_id="pr-7").action == "opened"


def test_a_replayed_delivery_is_refused_and_changes_nothing(api_client):
    # given
    _deliver(api_client, PUSH, delivery="same-1")

    # when
    replay = _deliver(api_client, PUSH, delivery="same-1")

    # then
    assert replay.status_code == 409
    assert replay.json()["code"] == "replayed_delivery"
    assert GiteaDelivery.objects.filter(delivery_id="same-1").count() == 1


def test_a_wrong_or_missing_signature_is_401_and_nothing_is_recorded(api_client):
    # when
    wrong_key = _deliver(api_client, PUSH, delivery="x-1", secret="not-the-secret")
    garbage = _deliver(api_client, PUSH, delivery="x-2", signature="zz")
    missing = api_client.post(
        WEBHOOK, json.dumps(PUSH), content_type="application/json", HTTP_X_GITEA_DELIVERY="x-3"
    )

    # then
    assert (wrong_key.status_code, garbage.status_code, missing.status_code) == (401, 401, 401)
    assert not GiteaDelivery.objects.exists()


def test_a_signed_body_without_a_delivery_id_or_not_an_object_is_400(api_client):
    # when
    no_id = _deliver(api_client, PUSH, delivery="")
    a_list = _deliver(api_client, [1, 2], delivery="list-1")

    # then
    assert (no_id.status_code, a_list.status_code) == (400, 400)
    assert not GiteaDelivery.objects.exists()


def test_without_a_configured_secret_the_webhook_is_503(api_client, settings):
    # given
    settings.GITEA_WEBHOOK_SECRET = ""

    # when
    response = _deliver(api_client, PUSH, secret="anything")

    # then
    assert response.status_code == 503
    assert response.json()["code"] == "not_configured"
