"""Issue 7's story over HTTP and Socket.IO: a seller lists products with images, a customer
writes on WhatsApp, the seller sees it live with a notification, asks the AI for replies,
answers with a product card, and the shop's tracked events show in the dashboard and funnel."""

import hashlib
import hmac
import io
import json

import httpx
import pytest
from django.test import override_settings
from PIL import Image

from flowline.chat.tests.factories import ChannelConnectionFactory
from flowline.chat.tests.test_meta_webhooks import whatsapp
from flowline.realtime.testing import connect_client, live_asgi_server, member_token

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@override_settings(META_APP_SECRET="meta-secret")
def test_seller_story_products_live_chat_ai_replies_and_analytics(owner):
    ChannelConnectionFactory(account=owner.account, channel="whatsapp", external_id="555")
    token = member_token(owner)
    with live_asgi_server() as base_url:
        api = httpx.Client(
            base_url=f"{base_url}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=20
        )
        seller, events = connect_client(
            base_url, auth={"token": token}, events=("chat_message", "notification")
        )
        try:
            # a seller creates products with images
            category = api.post("/products/categories/", json={"name": "Yoga"}).json()["data"]
            mat = api.post(
                "/products/",
                json={
                    "name": "Blue yoga mat",
                    "price": "29.90",
                    "category": category["id"],
                    "status": "active",
                    "stock_quantity": 12,
                },
            )
            assert mat.status_code == 201, mat.text
            mat = mat.json()["data"]
            upload = api.post(
                f"/products/{mat['id']}/upload-images/",
                files={"images": ("mat.png", _png(), "image/png")},
            )
            assert upload.status_code in (200, 201), upload.text

            # a customer message arrives by WhatsApp webhook
            raw = json.dumps(
                whatsapp("555", "wamid.story", "Hi! Is the blue yoga mat in stock?")
            ).encode()
            signature = "sha256=" + hmac.new(b"meta-secret", raw, hashlib.sha256).hexdigest()
            hook = httpx.post(
                f"{base_url}/api/v1/chat/webhooks/meta/",
                content=raw,
                headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
            )
            assert hook.status_code == 200

            # the seller gets it live, with a notification
            _, message = events.wait_for(
                lambda n, d: n == "chat_message" and "blue yoga mat" in d["body"]
            )
            _, notice = events.wait_for(lambda n, d: n == "notification")
            assert notice["notification_type"] == "new_message" and notice["unread_count"] >= 1
            conversation_id = message["conversation_id"]

            # asks for AI suggestions, which know the shop's products
            suggestions = api.post(
                "/ai/chat/suggestions/", json={"conversation_id": conversation_id}
            ).json()["data"]
            assert len(suggestions["suggestions"]) == 3 and mat["id"] in suggestions["products"]

            # replies sharing the product
            reply = api.post(
                f"/chat/conversations/{conversation_id}/messages/",
                json={
                    "body": suggestions["suggestions"][0],
                    "product_id": mat["id"],
                },
            ).json()["data"]
            (card,) = reply["attachments"]
            assert (
                card["type"] == "product" and card["name"] == "Blue yoga mat" and card["image_url"]
            )
            events.wait_for(lambda n, d: n == "chat_message" and d["id"] == reply["id"])

            # events tracked along the way show in the dashboard and the funnel
            journey = [
                {"event_type": "message_received", "platform": "whatsapp", "session_id": "s1"},
                {"event_type": "product_view", "platform": "whatsapp", "session_id": "s1"},
                {"event_type": "add_to_cart", "platform": "whatsapp", "session_id": "s1"},
                {"event_type": "checkout_started", "platform": "whatsapp", "session_id": "s1"},
                {
                    "event_type": "purchase",
                    "platform": "whatsapp",
                    "session_id": "s1",
                    "value": "29.90",
                },
                {"event_type": "product_view", "platform": "instagram", "session_id": "s2"},
                {"event_type": "add_to_cart", "platform": "instagram", "session_id": "s2"},
            ]
            tracked = api.post("/analytics/events/", json={"events": journey})
            assert tracked.status_code == 201, tracked.text
            dashboard = api.get("/analytics/dashboard/").json()["data"]
            assert dashboard["totals"]["events"] == 7
            assert dashboard["totals"]["counts"]["purchase"] == 1
            assert float(dashboard["totals"]["revenue"]) == pytest.approx(29.90)
            funnel = api.get("/analytics/conversions/").json()["data"]
            sessions = [step["sessions"] for step in funnel["steps"]]
            assert sessions == [2, 2, 1, 1]
            assert funnel["overall_rate"] == pytest.approx(0.5)
        finally:
            seller.disconnect()
            api.close()
