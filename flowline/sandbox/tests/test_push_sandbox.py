"""The sandbox Web Push service: a browser subscription it issues receives Flowline's real
pushes (VAPID-signed with the installation's own key, aes128gcm-encrypted), shown
decrypted on the outbox page."""

import httpx
import pytest

from config.settings.sandbox import vapid_private_key
from flowline.notifications.public import notify, vapid_public_key
from flowline.sandbox.tests.support import poll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SUBSCRIPTIONS = "/api/v1/notifications/push-subscriptions/"


def test_a_push_to_a_sandbox_subscription_shows_decrypted_on_the_outbox(sandbox, owner):
    # given: the console's browser subscribed through the sandbox push service
    issued = httpx.post(f"{sandbox}/sandbox/push/subscription")
    assert issued.status_code == 201
    subscription = issued.json()
    assert subscription["endpoint"].startswith(f"{sandbox}/sandbox/push/push/")
    saved = owner.client.post(SUBSCRIPTIONS, subscription, format="json")
    assert saved.status_code == 201, saved.json()

    # when
    notify(
        account_id=owner.account_id,
        user_ids=[owner.user.id],
        notification_type="job_failed",
        context={"name": "image generation", "error": "quota exceeded"},
        link="/jobs/9",
    )

    # then: delivered (by the live server's worker), and readable on the outbox page
    outbox = poll(
        lambda: httpx.get(f"{sandbox}/sandbox/outbox/").text,
        lambda page: "data-push" in page,
    )
    assert "Image generation failed" in outbox and "quota exceeded" in outbox


def test_a_push_to_a_subscription_the_sandbox_never_issued_is_forgotten(sandbox, owner):
    # given: an endpoint on the sandbox push service that no browser holds
    issued = httpx.post(f"{sandbox}/sandbox/push/subscription").json()
    forged = {**issued, "endpoint": f"{sandbox}/sandbox/push/push/nobody"}
    assert owner.client.post(SUBSCRIPTIONS, forged, format="json").status_code == 201

    # when
    notify(
        account_id=owner.account_id,
        user_ids=[owner.user.id],
        notification_type="job_failed",
        context={"name": "export", "error": "disk full"},
    )

    # then: the push service said 404, so Flowline dropped the subscription
    left = poll(lambda: owner.client.get(SUBSCRIPTIONS).json()["count"], lambda n: n == 0)
    assert left == 0


def test_sandbox_mode_signs_pushes_with_the_installation_s_own_key(settings):
    # given: sandbox settings, no VAPID key configured
    settings.VAPID_PRIVATE_KEY = vapid_private_key(settings.SECRET_KEY)
    settings.VAPID_PUBLIC_KEY = ""

    # then: the same key every time for this installation, another for another
    assert vapid_private_key(settings.SECRET_KEY) == settings.VAPID_PRIVATE_KEY
    assert vapid_private_key("another installation") != settings.VAPID_PRIVATE_KEY
    assert len(vapid_public_key()) == 87  # base64url of an uncompressed P-256 point
