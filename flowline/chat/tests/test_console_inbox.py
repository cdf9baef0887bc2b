"""The inbox in the console: conversations arrive live from the sandbox customer (Meta's
signed webhooks), a reply starts from an AI suggestion, edited, with a product card, and
reaches the customer; assignment and unread counts; over HTTP and in Chromium."""

import pytest
from playwright.sync_api import expect

from flowline.ai.testing.fixtures import no_ai_environment  # noqa: F401
from flowline.chat.models import Conversation, Message
from flowline.chat.tests.factories import ConversationFactory
from flowline.commerce.tests.factories import ProductFactory
from flowline.core.roles import Role
from flowline.core.tenancy import tenant_scope
from flowline.core.testing.pages import CSRF, page_client
from flowline.sandbox.tests.conftest import sandbox  # noqa: F401
from flowline.sandbox.tests.support import connect


@pytest.mark.django_db
def test_inbox_lists_conversations_with_their_unread_counts(owner):
    with tenant_scope(owner.account_id):
        ConversationFactory(account=owner.account, customer_name="Ana", unread_count=2)
        ConversationFactory(account=owner.account, customer_name="Ben", unread_count=0)
    page = page_client(owner).get("/chat/?unread=true")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Ana" in text and "Ben" not in text
    assert 'title="2 unread"' in text


@pytest.mark.django_db
def test_a_member_assigns_a_conversation_to_a_colleague(owner, member_factory):
    editor = member_factory(owner, Role.EDITOR)
    with tenant_scope(owner.account_id):
        conversation = ConversationFactory(account=owner.account)
    response = page_client(editor).post(
        f"/chat/conversations/{conversation.id}",
        {"csrf_token": CSRF, "action": "assign", "assigned_to": owner.user.id},
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.assigned_to_id == owner.user.id


@pytest.mark.django_db
def test_a_reply_with_a_product_card_is_stored_with_the_card(owner):
    with tenant_scope(owner.account_id):
        conversation = ConversationFactory(account=owner.account)
        product = ProductFactory(account=owner.account, name="Linen apron")
    response = page_client(owner).post(
        f"/chat/conversations/{conversation.id}",
        {"csrf_token": CSRF, "action": "reply", "body": "This one?", "product_id": product.id},
    )
    assert response.status_code == 302
    reply = Message.unscoped.filter(conversation=conversation, direction="outbound").get()
    assert reply.body == "This one?" and reply.attachments[0]["name"] == "Linen apron"


@pytest.mark.django_db
def test_another_accounts_conversation_is_404(owner, other_owner):
    with tenant_scope(other_owner.account_id):
        conversation = ConversationFactory(account=other_owner.account)
    response = page_client(owner).get(f"/chat/conversations/{conversation.id}")
    assert response.status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("sandbox", "no_ai_environment")
def test_a_customer_message_arrives_live_and_is_answered_with_a_suggestion_and_a_product(
    console, owner
):
    origin = console.url
    # given: the sandbox Facebook page connected as a Messenger inbox, and a product
    connect(owner, origin, "facebook")
    with tenant_scope(owner.account_id):
        ProductFactory(account=owner.account, name="Linen apron")
    console.sign_in(owner)
    page = console.page
    console.go("/chat/")
    expect(page.get_by_text("No conversations yet.")).to_be_visible()
    page.wait_for_function("window.flowline.socket() && window.flowline.socket().connected")

    # when: the sandbox customer writes, in another tab
    customer = page.context.new_page()
    customer.goto(f"{origin}/sandbox/customer/?channel=messenger")
    customer.get_by_label("Message").fill("Do you have the apron in blue?")
    customer.get_by_role("button", name="Send").click()

    # then: the conversation appears in the inbox without a reload, unread
    row = page.locator("#conversations [data-conversation]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Do you have the apron in blue?")
    expect(page.locator("#unread-total")).to_contain_text("1 unread")
    console.shot("inbox-live")

    # when: they open it, ask for suggestions, take one and edit it, and add the product
    row.click()
    expect(page.locator("#messages")).to_contain_text("Do you have the apron in blue?")
    expect(page.locator("#unread-total")).to_contain_text("All read")
    page.get_by_role("button", name="Suggest replies").click()
    suggestion = page.locator("#suggestions [data-use-suggestion]").first
    expect(suggestion).to_be_visible()
    suggested = suggestion.get_attribute("data-use-suggestion")
    suggestion.click()
    reply = page.get_by_label("Reply")
    expect(reply).to_have_value(suggested)
    reply.fill(suggested + " Here it is:")
    page.get_by_label("Share a product").select_option(label="Linen apron (19.90 USD)")
    console.shot("inbox-suggestion")
    page.get_by_role("button", name="Send").click()

    # then: the reply shows in the thread with the product card
    outbound = page.locator(".message-outbound").last
    expect(outbound).to_contain_text("Here it is:")
    expect(outbound.locator(".product-card")).to_contain_text("Linen apron")

    # when: the customer answers while the thread is open
    customer.reload()
    expect(customer.locator("[data-from=shop]")).to_contain_text("Here it is:")
    customer.get_by_label("Message").fill("Perfect, thank you!")
    customer.get_by_role("button", name="Send").click()

    # then: it appears in the open thread live
    expect(page.locator(".message-inbound").last).to_contain_text("Perfect, thank you!")
    console.shot("inbox")
    conversation = Conversation.unscoped.get(account=owner.account)
    assert Message.unscoped.filter(conversation=conversation).count() == 3
