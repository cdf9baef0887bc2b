"""A customer message arriving by webhook reaches the seller live over Socket.IO."""

import hashlib
import hmac
import json

import httpx
import pytest
from django.test import override_settings

from flowline.chat.tests.factories import ChannelConnectionFactory
from flowline.chat.tests.test_meta_webhooks import whatsapp
from flowline.realtime.testing import connect_client, live_asgi_server, member_token

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@override_settings(META_APP_SECRET="s3cret")
def test_an_inbound_whatsapp_message_reaches_the_sellers_socket_at_once(owner):
    ChannelConnectionFactory(account=owner.account, channel="whatsapp", external_id="111")
    token = member_token(owner)
    with live_asgi_server() as base_url:
        seller, events = connect_client(base_url, auth={"token": token}, events=("chat_message",))
        try:
            raw = json.dumps(whatsapp("111", "wamid.live", "Do you have size M?")).encode()
            signature = "sha256=" + hmac.new(b"s3cret", raw, hashlib.sha256).hexdigest()
            response = httpx.post(
                f"{base_url}/api/v1/chat/webhooks/meta/",
                content=raw,
                headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
            )
            assert response.status_code == 200
            _, data = events.wait_for(lambda n, d: d["body"] == "Do you have size M?")
            assert data["direction"] == "inbound" and data["unread_count"] == 1
            assert data["channel"] == "whatsapp" and data["event_id"] >= 1
        finally:
            seller.disconnect()
