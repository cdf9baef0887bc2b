"""The sandbox customer: messages reach the inbox as Meta's signed webhooks, and the
shop's answer goes back through the real Send API client to the sandbox Graph."""

import httpx
import pytest

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
