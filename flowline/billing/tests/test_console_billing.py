"""Credits and billing in the console: balance and usage, buying credits by card (Stripe
Checkout) or bank transfer with the API's refusals shown, plans, transactions and
invoices; over HTTP and in Chromium."""

import pytest
from playwright.sync_api import expect

from flowline.billing.models import CreditPackage, Payment
from flowline.billing.services import credits
from flowline.core.roles import Role
from flowline.core.testing.pages import CSRF, page_client


@pytest.mark.django_db
def test_billing_page_shows_the_balance_and_usage_by_operation(owner):
    credits.credits_charge(account_id=owner.account_id, operation_type="clustering", amount=7)
    page = page_client(owner).get("/billing/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="usage-chart"' in text and "clustering" in text
    assert ">93 <span" in text  # 100 trial credits less 7


@pytest.mark.django_db
def test_pay_by_card_without_stripe_shows_the_apis_message(owner, settings):
    settings.STRIPE_SECRET_KEY = ""
    package = CreditPackage.objects.filter(is_active=True).first()
    page = page_client(owner).post(
        "/billing/buy/", {"csrf_token": CSRF, "package": package.id, "method": "stripe"}
    )
    assert page.status_code == 400
    assert b"Card payments are not configured; pay by bank transfer." in page.content
    assert not Payment.unscoped.filter(account=owner.account).exists()


@pytest.mark.django_db
def test_pay_by_card_goes_to_stripe_checkout(owner, fake_stripe):
    package = CreditPackage.objects.filter(is_active=True).first()
    response = page_client(owner).post(
        "/billing/buy/", {"csrf_token": CSRF, "package": package.id, "method": "stripe"}
    )
    assert response.status_code == 302
    payment = Payment.unscoped.get(account=owner.account)
    assert payment.method == "stripe" and response["Location"].startswith("http")


@pytest.mark.django_db
def test_a_viewer_cannot_buy_credits(owner, member_factory):
    viewer = member_factory(owner, Role.VIEWER)
    package = CreditPackage.objects.filter(is_active=True).first()
    response = page_client(viewer).post(
        "/billing/buy/",
        {"csrf_token": CSRF, "package": package.id, "method": "manual", "transfer_reference": "X"},
    )
    assert response.status_code == 403
    assert not Payment.unscoped.filter(account=owner.account).exists()


@pytest.mark.django_db
def test_checkout_return_pages_answer(owner):
    client = page_client(owner)
    assert b"Thank you" in client.get("/billing/success?session_id=cs_1").content
    assert b"cancelled" in client.get("/billing/cancelled").content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_owner_pays_by_bank_transfer_and_staff_approve_it_in_the_admin(
    console, owner, billing_operator, settings
):
    staff = billing_operator
    settings.STRIPE_SECRET_KEY = ""
    credits.credits_charge(account_id=owner.account_id, operation_type="clustering", amount=4)
    credits.credits_charge(account_id=owner.account_id, operation_type="content", amount=10)
    console.sign_in(owner)
    page = console.page
    console.go("/billing/")
    expect(page.locator("#balance")).to_contain_text("86")
    expect(page.locator("canvas[data-chart]")).to_be_visible()
    console.shot("billing")

    # when: they try to pay by card on a Flowline without Stripe
    page.get_by_role("link", name="Buy credits").first.click()
    page.get_by_role("button", name="Pay by card").first.click()
    expect(page.locator("#buy-refused")).to_have_text(
        "Card payments are not configured; pay by bank transfer."
    )

    # when: they record a bank transfer, forgetting the reference first
    page.get_by_role("button", name="Paid by transfer").first.click()
    expect(page.get_by_text("Quote the bank transfer's reference.")).to_be_visible()
    page.get_by_label("Bank transfer reference", exact=False).first.fill("TR-2026-001")
    page.get_by_role("button", name="Paid by transfer").first.click()

    # then: it waits for staff to approve it
    expect(page.get_by_text("Payment recorded; it is credited once staff confirm")).to_be_visible()
    expect(page.locator("#pending-payments")).to_contain_text("TR-2026-001")
    console.shot("billing-buy")
    assert Payment.unscoped.get(account=owner.account).status == "awaiting_approval"

    # when: staff approve the transfer in the Django admin
    page.context.clear_cookies()
    console.go("/admin/login/?next=/admin/billing/payment/")
    page.get_by_label("Email").fill(staff.user.email)
    page.get_by_label("Password").fill(staff.password)
    page.get_by_role("button", name="Log in").click()
    row = page.locator("#result_list tbody tr", has_text="Account of owner")
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("approve_transfers")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("1 payment(s) approved.")).to_be_visible()
    console.shot("admin-approve-transfer", full_page=False)

    # then: the owner sees the 500 credits in their balance, and the payment gone from
    # the pending ones
    page.context.clear_cookies()
    console.sign_in(owner)
    console.go("/billing/")
    expect(page.locator("#balance")).to_contain_text("586")
    assert Payment.unscoped.get(account=owner.account).status == "succeeded"

    # and: plans, transactions and invoices have their pages
    console.go("/billing/plans/")
    page.get_by_role("heading", name="Plans", exact=True).wait_for()
    console.shot("billing-plans")
    console.go("/billing/transactions/")
    expect(page.locator("#list-table tbody tr")).to_have_count(4)  # with the purchase
    console.go("/billing/invoices/")
    page.get_by_role("heading", name="Invoices", exact=True).wait_for()


@pytest.mark.django_db
def test_choosing_a_plan_goes_to_stripe_checkout(owner, fake_stripe):
    response = page_client(owner).post("/billing/plans/", {"csrf_token": CSRF, "plan": "starter"})
    assert response.status_code == 302 and response["Location"].startswith("http")
    assert Payment.unscoped.get(account=owner.account).plan.slug == "starter"


@pytest.mark.django_db
def test_choosing_a_plan_without_stripe_shows_the_apis_message(owner, settings):
    settings.STRIPE_SECRET_KEY = ""
    page = page_client(owner).post("/billing/plans/", {"csrf_token": CSRF, "plan": "starter"})
    assert page.status_code == 400 and b'id="plan-refused"' in page.content
    assert not Payment.unscoped.filter(account=owner.account).exists()
