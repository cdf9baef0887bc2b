"""Webhooks in the console: an endpoint added (its secret shown once), a test ping, the
delivery log and redelivering a failed delivery; over HTTP and in Chromium."""

import pytest
from playwright.sync_api import expect

from flowline.core.roles import Role
from flowline.core.testing.pages import CSRF, page_client
from flowline.webhooks.models import WebhookDelivery, WebhookEndpoint
from flowline.webhooks.tests.factories import WebhookDeliveryFactory, WebhookEndpointFactory


@pytest.mark.django_db
def test_an_endpoint_without_events_is_refused_beside_the_field(owner):
    page = page_client(owner).post(
        "/webhooks/", {"csrf_token": CSRF, "url": "https://hooks.example.com/x"}
    )
    assert page.status_code == 400 and b"border-danger" in page.content
    assert not WebhookEndpoint.unscoped.filter(account=owner.account).exists()


@pytest.mark.django_db
def test_an_editor_sees_endpoints_but_cannot_add_one(owner, member_factory):
    editor = member_factory(owner, Role.EDITOR)
    client = page_client(editor)
    assert client.get("/webhooks/").status_code == 200
    response = client.post(
        "/webhooks/",
        {"csrf_token": CSRF, "url": "https://hooks.example.com/x", "event_types": "*"},
    )
    assert response.status_code == 403
    assert not WebhookEndpoint.unscoped.filter(account=owner.account).exists()


@pytest.mark.django_db
def test_the_delivery_log_lists_only_this_accounts_deliveries(owner, other_owner):
    WebhookDeliveryFactory(account=owner.account, event_type="job.completed")
    WebhookDeliveryFactory(account=other_owner.account, event_type="secret.event")
    page = page_client(owner).get("/webhooks/deliveries/")
    assert b"job.completed" in page.content and b"secret.event" not in page.content


@pytest.mark.django_db
def test_redelivering_another_accounts_delivery_is_not_found(owner, other_owner):
    theirs = WebhookDeliveryFactory(account=other_owner.account)
    page = page_client(owner).post(
        "/webhooks/deliveries/", {"csrf_token": CSRF, "action": "redeliver", "id": theirs.id}
    )
    assert page.status_code == 404
    theirs.refresh_from_db()
    assert theirs.attempts == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_adds_an_endpoint_tests_it_and_redelivers_a_failure(console, owner, receiver):
    WebhookEndpointFactory(account=owner.account, url="https://old.example.com/hook")
    console.sign_in(owner)
    page = console.page
    console.go("/webhooks/")
    page.get_by_label("Address").fill(receiver.url)
    page.get_by_label("Description").fill("Our CRM")
    page.get_by_label("job.completed").check()
    page.get_by_role("button", name="Add endpoint").click()
    expect(page.get_by_label("The signing secret")).to_have_value(
        WebhookEndpoint.unscoped.get(url=receiver.url).secret
    )
    console.shot("webhooks")

    # when: the receiver is down and they send a test event
    receiver.status = 500
    page.get_by_role("button", name=f"Send a test event to {receiver.url}").click()
    expect(page.get_by_text("Ping not delivered.")).to_be_visible()

    # then: the log shows the failure, and once the receiver is back it is redelivered
    page.get_by_role("link", name="Delivery log").click()
    row = page.locator("#list-table tbody tr").first
    expect(row).to_contain_text("Failed")
    receiver.status = 200
    row.get_by_role("button", name="Redeliver").click()
    expect(page.get_by_text("Redelivered.")).to_be_visible()
    expect(page.locator("#list-table tbody tr").first).to_contain_text("Succeeded")
    console.shot("webhook-deliveries")
    assert len(receiver.requests) == 2
    assert WebhookDelivery.unscoped.get(endpoint__url=receiver.url).status == "succeeded"
