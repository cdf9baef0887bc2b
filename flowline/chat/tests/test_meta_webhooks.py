"""Inbound WhatsApp, Messenger and Instagram messages from Meta's signed webhooks."""

import pytest
from django.test import override_settings

from flowline.chat.models import Conversation, Message
from flowline.chat.tests.factories import ChannelConnectionFactory
from flowline.core.testing.client import CommittingAPIClient
from flowline.sandbox.social.meta_inbound import messenger, signed, whatsapp

URL = "/api/v1/chat/webhooks/meta/"
SECRET = "meta-app-secret"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("meta_settings"),
]


@pytest.fixture
def meta_settings():
    with override_settings(META_APP_SECRET=SECRET, META_WEBHOOK_VERIFY_TOKEN="verify-me"):
        yield


def _post(payload: dict, secret: str = SECRET, signature: str | None = None):
    raw, expected = signed(payload, secret)
    signature = signature or expected
    return CommittingAPIClient().post(
        URL, raw, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature
    )


def test_a_signed_whatsapp_message_lands_in_the_right_accounts_conversation(owner, other_owner):
    # given: each account connected its own WhatsApp number
    ChannelConnectionFactory(account=owner.account, channel="whatsapp", external_id="111")
    ChannelConnectionFactory(account=other_owner.account, channel="whatsapp", external_id="222")
    # when
    response = _post(whatsapp("111", "wamid.A", "Is the blue dress in stock?"))
    # then
    assert response.status_code == 200
    assert response.json()["data"] == {"stored": 1, "duplicates": 0, "unrouted": 0}
    conversation = Conversation.unscoped.get(account_id=owner.account_id)
    assert (conversation.channel, conversation.customer_name) == ("whatsapp", "Ana Silva")
    assert Message.unscoped.get(conversation=conversation).body == "Is the blue dress in stock?"
    assert not Conversation.unscoped.filter(account_id=other_owner.account_id).exists()


def test_a_retried_delivery_is_ignored(owner):
    ChannelConnectionFactory(account=owner.account, channel="whatsapp", external_id="111")
    _post(whatsapp("111", "wamid.A", "hi"))
    again = _post(whatsapp("111", "wamid.A", "hi"))
    assert again.json()["data"]["duplicates"] == 1
    assert Message.unscoped.count() == 1


def test_messenger_and_instagram_messages_are_received(owner):
    ChannelConnectionFactory(account=owner.account, channel="messenger", external_id="PAGE-1")
    ChannelConnectionFactory(account=owner.account, channel="instagram", external_id="IG-1")
    _post(messenger("PAGE-1", "m_1", "hello from messenger"))
    _post(messenger("IG-1", "m_2", "hello from instagram", kind="instagram"))
    channels = set(Conversation.unscoped.values_list("channel", flat=True))
    assert channels == {"messenger", "instagram"}


@pytest.mark.parametrize("signature", [None, "sha256=deadbeef", "md5=abc"])
def test_unsigned_or_forged_deliveries_are_refused_and_change_nothing(owner, signature):
    ChannelConnectionFactory(account=owner.account, channel="whatsapp", external_id="111")
    payload = whatsapp("111", "wamid.F", "forged")
    if signature is None:
        response = CommittingAPIClient().post(URL, payload, format="json")
    else:
        response = _post(payload, signature=signature)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_signature"
    assert not Message.unscoped.exists()


def test_a_body_signed_with_another_secret_is_refused(owner):
    ChannelConnectionFactory(account=owner.account, channel="whatsapp", external_id="111")
    assert _post(whatsapp("111", "wamid.X", "x"), secret="someone-else").status_code == 401


def test_messages_for_an_unknown_inbox_are_not_stored():
    response = _post(whatsapp("999", "wamid.U", "who?"))
    assert response.json()["data"]["unrouted"] == 1
    assert not Message.unscoped.exists()


def test_webhook_url_verification(owner):
    client = CommittingAPIClient()
    ok = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "42"}
    )
    assert ok.status_code == 200 and ok.content == b"42"
    bad = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "42"}
    )
    assert bad.status_code == 403
