"""Customer chat over HTTP: conversations, messages newest first, unread counts, replies."""

import pytest

from flowline.chat import outbound
from flowline.chat.models import Conversation, Message
from flowline.chat.services import message_receive

API = "/api/v1/chat/conversations"
pytestmark = pytest.mark.django_db


def _inbound(owner, body, handle="+351900000001", external_id=None, channel="whatsapp"):
    return message_receive(
        account_id=owner.account_id,
        channel=channel,
        customer_handle=handle,
        customer_name="Ana",
        body=body,
        external_id=external_id,
    )


def test_messages_are_listed_newest_first_and_counted_unread_until_read(owner):
    # given: three customer messages
    for text in ("hello", "do you ship to Porto?", "and the price?"):
        _inbound(owner, text)
    conversation = Conversation.unscoped.get(account_id=owner.account_id)
    # when
    listed = owner.client.get(f"{API}/").json()["results"][0]
    messages = owner.client.get(f"{API}/{conversation.id}/messages/", {"page_size": 2}).json()
    # then
    assert listed["unread_count"] == 3 and listed["last_message_preview"] == "and the price?"
    assert [m["body"] for m in messages["results"]] == ["and the price?", "do you ship to Porto?"]
    assert messages["count"] == 3 and messages["next"]
    assert owner.client.get(f"{API}/unread_count/").json()["data"] == {"unread_count": 3}
    owner.client.post(f"{API}/{conversation.id}/mark_read/")
    assert owner.client.get(f"{API}/unread_count/").json()["data"] == {"unread_count": 0}


def test_a_web_chat_reply_is_sent_at_once(owner):
    response = owner.client.post(
        f"{API}/", {"customer_handle": "visitor-9", "customer_name": "Bo"}, format="json"
    )
    conversation_id = response.json()["data"]["id"]
    reply = owner.client.post(
        f"{API}/{conversation_id}/messages/", {"body": "Hi Bo!"}, format="json"
    )
    assert reply.status_code == 201
    assert reply.json()["data"]["delivery_status"] == "sent"
    assert reply.json()["data"]["direction"] == "outbound"


def test_a_reply_on_a_channel_without_a_sender_is_kept_and_marked_failed(owner):
    message = _inbound(owner, "hi")
    reply = owner.client.post(
        f"{API}/{message.conversation_id}/messages/", {"body": "Hello"}, format="json"
    )
    body = reply.json()["data"]
    assert body["delivery_status"] == "failed"
    assert "No whatsapp sender" in body["delivery_error"]


def test_a_registered_sender_delivers_whatsapp_replies(owner):
    sent = []

    def send(conversation, message):
        sent.append((conversation.customer_handle, message.body))
        return "wamid.out-1"

    outbound.register_sender("whatsapp", send)
    try:
        message = _inbound(owner, "hi")
        reply = owner.client.post(
            f"{API}/{message.conversation_id}/messages/", {"body": "Hello"}, format="json"
        )
    finally:
        outbound.unregister_sender("whatsapp")
    assert reply.json()["data"]["delivery_status"] == "sent"
    assert sent == [("+351900000001", "Hello")]
    assert Message.unscoped.get(id=reply.json()["data"]["id"]).external_id == "wamid.out-1"


def test_an_empty_reply_is_400(owner):
    message = _inbound(owner, "hi")
    response = owner.client.post(
        f"{API}/{message.conversation_id}/messages/", {"body": "  "}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "empty_message"


def test_the_same_platform_message_is_stored_once(owner):
    assert _inbound(owner, "hi", external_id="wamid.1") is not None
    assert _inbound(owner, "hi", external_id="wamid.1") is None
    assert Message.unscoped.filter(account_id=owner.account_id).count() == 1
    assert Conversation.unscoped.get(account_id=owner.account_id).unread_count == 1


def test_viewers_read_conversations_but_cannot_reply(owner, member_factory):
    message = _inbound(owner, "hi")
    viewer = member_factory(owner, "viewer")
    assert viewer.client.get(f"{API}/{message.conversation_id}/messages/").status_code == 200
    response = viewer.client.post(
        f"{API}/{message.conversation_id}/messages/", {"body": "x"}, format="json"
    )
    assert response.status_code == 403


def test_a_conversation_is_assigned_to_members_of_the_account_only(
    owner, other_owner, member_factory
):
    # given: a conversation, a colleague, and a user of another account
    conversation = _inbound(owner, "Hello").conversation
    colleague = member_factory(owner, "editor", email="agent@example.com")

    def assign(user_id):
        return owner.client.patch(
            f"{API}/{conversation.id}/", {"assigned_to": user_id}, format="json"
        )

    # when
    outsider = assign(other_owner.user.id)
    nobody = assign(other_owner.user.id + 1000)
    member = assign(colleague.user.id)

    # then: an outsider is refused exactly like an id no user has (existence not revealed)
    assert outsider.status_code == nobody.status_code == 400
    assert outsider.json()["errors"]["assigned_to"] == [
        f'Invalid pk "{other_owner.user.id}" - object does not exist.'
    ]
    assert nobody.json()["errors"]["assigned_to"][0].endswith("object does not exist.")
    assert member.status_code == 200, member.content
    assert member.json()["data"]["assigned_to"] == colleague.user.id
