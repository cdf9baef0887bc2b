"""The sandbox customer: messages reach the inbox as Meta's signed webhooks, and the
shop's answer goes back through the real Send API client to the sandbox Graph."""

import httpx
import pytest
from django.conf import settings
from django.test import Client

from flowline.identity import tokens
from flowline.sandbox.tests.support import Browser, connect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_sandbox_customer_message_is_answered_from_the_inbox(sandbox, owner):
    # given: the sandbox Facebook page connected (it becomes a Messenger inbox)
    connect(owner, sandbox, "facebook")
    page = Browser(f"{sandbox}/sandbox/customer/?channel=messenger", "Sandbox customer")

    # when: the customer writes
    sent = page.post(channel="messenger", text="Do you have the mug in blue?")

    # then: it is in the inbox
    assert sent.status_code == 302
    [conversation] = owner.client.get("/api/v1/chat/conversations/").json()["results"]
    messages = f"/api/v1/chat/conversations/{conversation['id']}/messages/"
    inbound = owner.client.get(messages).json()["results"]
    assert [m["body"] for m in inbound] == ["Do you have the mug in blue?"]

    # when: the shop answers from the inbox
    answer = owner.client.post(messages, {"body": "Yes, blue is in stock!"}, format="json")

    # then: the answer went out through the Send API and shows on the customer's page
    assert answer.status_code == 201, answer.json()
    shown = httpx.get(f"{sandbox}/sandbox/customer/?channel=messenger").text
    assert shown.index("Do you have the mug in blue?") < shown.index("Yes, blue is in stock!")


def test_a_customer_message_to_an_inbox_nobody_connected_is_not_stored(sandbox, owner):
    # given: nothing connected
    page = Browser(f"{sandbox}/sandbox/customer/?channel=whatsapp", "Sandbox customer")

    # when
    page.post(channel="whatsapp", text="Hello?")

    # then: Meta's delivery was accepted (as Flowline must) but lands in no account
    assert owner.client.get("/api/v1/chat/conversations/").json()["count"] == 0


@pytest.mark.parametrize(
    ("platform", "channel"), [("facebook", "messenger"), ("instagram", "instagram")]
)
def test_the_inbox_names_the_sandbox_customer_as_their_profile_does(
    sandbox, owner, platform, channel
):
    # given: the page connected; Messenger's and Instagram's webhooks name only an id
    connect(owner, sandbox, platform)
    page = Browser(f"{sandbox}/sandbox/customer/?channel={channel}", "Sandbox customer")

    # when: the customer writes twice
    page.post(channel=channel, text="Hello, is the shop open?")
    page.post(channel=channel, text="And on Sunday?")

    # then: the conversation carries their profile name (the User Profile API, with the
    # page's token), and the console's inbox shows it rather than the raw id
    [conversation] = owner.client.get("/api/v1/chat/conversations/").json()["results"]
    assert conversation["customer_name"] == "Sam Customer"
    inbox = _console(owner).get("/chat/").content.decode()
    assert "Sam Customer" in inbox
    assert f">{conversation['customer_handle']}<" not in inbox


def test_a_profile_the_platform_refuses_leaves_the_handle_and_keeps_the_message(sandbox, owner):
    # given: the page connected, and its next read of the Graph fails
    connect(owner, sandbox, "facebook")
    page = Browser(f"{sandbox}/sandbox/customer/?channel=messenger", "Sandbox customer")
    broken = httpx.post(
        f"{sandbox}/sandbox/control/graph/", json={"fail_next": "server_error", "on": "read"}
    )
    assert broken.status_code == 200, broken.text

    # when
    page.post(channel="messenger", text="Anyone there?")

    # then: the message is stored, under the customer's id, without a name
    [conversation] = owner.client.get("/api/v1/chat/conversations/").json()["results"]
    assert conversation["customer_name"] == ""
    assert conversation["customer_handle"] == "sandbox-customer-psid"
    assert conversation["last_message_preview"] == "Anyone there?"

    # and: the next message asks again, and names them
    page.post(channel="messenger", text="Hello?")
    [conversation] = owner.client.get("/api/v1/chat/conversations/").json()["results"]
    assert conversation["customer_name"] == "Sam Customer"


def _console(member) -> Client:
    client = Client()
    pair = tokens.issue_pair(user=member.user, account_id=member.account_id)
    client.cookies[settings.AUTH_COOKIE_ACCESS] = pair["access"]
    return client
