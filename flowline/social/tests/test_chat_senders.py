"""Chat replies on WhatsApp, Messenger and Instagram go out through the connected social
account (against the Graph fake), and connecting an account routes its inbox to chat."""

import pytest

from flowline.chat.models import ChannelConnection
from flowline.chat.services import message_receive
from flowline.social import chat_senders
from flowline.social.testing.fixtures import (
    connect_facebook_page,
    connect_instagram,
    connect_whatsapp,
)

API = "/api/v1/chat/conversations"


@pytest.fixture(autouse=True)
def _senders():
    chat_senders.register()  # another app's test may have unregistered one


def _conversation_with(owner, channel, inbox_id, handle):
    connection = ChannelConnection.unscoped.create(
        account=owner.account, channel=channel, external_id=inbox_id
    )
    message = message_receive(
        account_id=owner.account_id,
        channel=channel,
        customer_handle=handle,
        body="Do you have it in blue?",
        external_id=f"{channel}:in-1",
        connection=connection,
    )
    return message.conversation_id


def _reply(owner, conversation_id, body="Yes, in stock!"):
    response = owner.client.post(
        f"{API}/{conversation_id}/messages/", {"body": body}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()["data"]


@pytest.mark.django_db
def test_whatsapp_reply_goes_out_through_the_number(owner, fake_graph):
    # given
    account = connect_whatsapp(owner, fake_graph)
    conversation = _conversation_with(owner, "whatsapp", account.external_id, "351900000001")

    # when
    reply = _reply(owner, conversation)

    # then
    [sent] = fake_graph.messages
    assert sent["from"] == account.external_id and sent["to"] == "351900000001"
    assert sent["text"]["body"] == "Yes, in stock!"
    assert reply["delivery_status"] == "sent"


@pytest.mark.django_db
def test_messenger_reply_goes_out_through_the_page(owner, fake_graph):
    page = connect_facebook_page(owner, fake_graph)
    conversation = _conversation_with(owner, "messenger", page.external_id, "PSID-42")

    reply = _reply(owner, conversation)

    [sent] = fake_graph.messages
    assert sent["from"] == page.external_id and sent["recipient"] == {"id": "PSID-42"}
    assert sent["messaging_type"] == "RESPONSE" and reply["delivery_status"] == "sent"


@pytest.mark.django_db
def test_instagram_reply_goes_out_through_its_page(owner, fake_graph):
    ig = connect_instagram(owner, fake_graph)
    conversation = _conversation_with(owner, "instagram", ig.external_id, "IGSID-7")

    reply = _reply(owner, conversation)

    [sent] = fake_graph.messages
    assert sent["from"] == ig.meta["page_id"] and sent["recipient"] == {"id": "IGSID-7"}
    assert reply["delivery_status"] == "sent"


@pytest.mark.django_db
def test_reply_fails_with_a_reason_when_the_platform_refuses(owner, fake_graph):
    account = connect_whatsapp(owner, fake_graph)
    conversation = _conversation_with(owner, "whatsapp", account.external_id, "351900000001")
    fake_graph.fail_next("rate_limit")

    reply = _reply(owner, conversation)

    assert reply["delivery_status"] == "failed" and "limit" in reply["delivery_error"]
    account.refresh_from_db()
    assert account.status == "active"


@pytest.mark.django_db
def test_reply_without_a_connected_account_fails_with_a_reason(owner):
    conversation = _conversation_with(owner, "whatsapp", "999", "351900000001")

    reply = _reply(owner, conversation)

    assert reply["delivery_status"] == "failed"
    assert "connect a WhatsApp Business account" in reply["delivery_error"]


@pytest.mark.django_db
def test_connecting_a_page_routes_its_inbox_to_chat(owner, other_owner, fake_graph):
    # given: the Instagram inbox already belongs to another account
    from urllib.parse import parse_qs, urlsplit

    import httpx

    [ig_id] = fake_graph.instagram
    ChannelConnection.unscoped.create(
        account=other_owner.account, channel="instagram", external_id=ig_id
    )

    # when
    for platform in ("facebook", "instagram"):
        init = owner.client.post(
            "/api/v1/social/accounts/", {"platform": platform}, format="json"
        ).json()["data"]
        location = httpx.get(init["authorization_url"], follow_redirects=False).headers["Location"]
        returned = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        owner.client.post("/api/v1/social/accounts/connect/callback/", returned, format="json")

    # then
    [page_id] = fake_graph.pages
    assert ChannelConnection.unscoped.get(channel="messenger", external_id=page_id).account_id == (
        owner.account_id
    )
    assert ChannelConnection.unscoped.get(channel="instagram").account_id == other_owner.account_id
