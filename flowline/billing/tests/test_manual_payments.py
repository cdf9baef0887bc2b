"""Bank transfers: recorded by the account, approved (or rejected) by Flowline staff."""

import pytest

from flowline.billing.models import CreditPackage, Invoice, Payment, Subscription
from flowline.billing.testing.ledger import balance_of, ledger_count
from flowline.core.roles import Role

pytestmark = pytest.mark.django_db
API = "/api/v1/billing"
ADMIN = "/api/v1/admin/billing/payments"
ADMIN_LIST = f"{ADMIN}/"


def _record(member, **body):
    package = CreditPackage.objects.get(slug="credits-500")
    body = {"credit_package": package.id, "transfer_reference": "BANK-REF-1", **body}
    return member.client.post(f"{API}/payments/manual/", body, format="json")


def test_a_transfer_approved_by_staff_grants_its_credits_once(owner, member_factory, staff):
    # given: an admin of the account records a bank transfer
    admin = member_factory(owner, Role.ADMIN)
    response = _record(admin)
    assert response.status_code == 201, response.content
    payment = response.json()["data"]
    assert (payment["status"], payment["method"]) == ("awaiting_approval", "manual")
    invoice = Invoice.unscoped.get(payment_id=payment["id"])
    assert invoice.status == "open" and payment["invoice_number"] == invoice.number
    assert balance_of(owner.account_id) == 100

    # when: staff approve it
    approved = staff.client.post(f"{ADMIN}/{payment['id']}/approve/")

    # then: succeeded, 500 credits once, invoice paid, the approver recorded
    assert approved.status_code == 200, approved.content
    assert approved.json()["data"]["status"] == "succeeded"
    assert approved.json()["data"]["approved_by"] == staff.user.id
    assert balance_of(owner.account_id) == 600
    invoice.refresh_from_db()
    assert invoice.status == "paid"

    # when: approved again
    again = staff.client.post(f"{ADMIN}/{payment['id']}/approve/")

    # then: nothing more
    assert again.status_code == 200
    assert again.json()["message"] == "Already approved."
    assert balance_of(owner.account_id) == 600
    assert ledger_count(owner.account_id) == 2


def test_a_rejected_transfer_grants_nothing_and_voids_its_invoice(owner, staff):
    # given
    payment_id = _record(owner).json()["data"]["id"]

    # when
    rejected = staff.client.post(
        f"{ADMIN}/{payment_id}/reject/", {"reason": "No transfer arrived."}, format="json"
    )
    approve_after = staff.client.post(f"{ADMIN}/{payment_id}/approve/")

    # then
    assert rejected.status_code == 200
    assert rejected.json()["data"]["failure_reason"] == "No transfer arrived."
    assert Invoice.unscoped.get(payment_id=payment_id).status == "void"
    assert approve_after.status_code == 409
    assert balance_of(owner.account_id) == 100


def test_an_approved_transfer_cannot_be_rejected(owner, staff):
    # given
    payment_id = _record(owner).json()["data"]["id"]
    staff.client.post(f"{ADMIN}/{payment_id}/approve/")

    # when
    response = staff.client.post(f"{ADMIN}/{payment_id}/reject/", {}, format="json")

    # then
    assert response.status_code == 409
    assert Payment.unscoped.get(id=payment_id).status == "succeeded"
    assert balance_of(owner.account_id) == 600


def test_staff_list_every_accounts_payments_with_filters(owner, other_owner, staff):
    # given
    mine = _record(owner).json()["data"]["id"]
    theirs = _record(other_owner, transfer_reference="OTHER-REF").json()["data"]["id"]
    staff.client.post(f"{ADMIN}/{mine}/approve/")

    # when
    waiting = staff.client.get(ADMIN_LIST, {"status": "awaiting_approval"}).json()["results"]
    of_owner = staff.client.get(ADMIN_LIST, {"account": owner.account_id}).json()["results"]
    searched = staff.client.get(ADMIN_LIST, {"search": "OTHER-REF"}).json()["results"]

    # then
    assert [p["id"] for p in waiting] == [theirs]
    assert [p["id"] for p in of_owner] == [mine]
    assert [p["account"] for p in searched] == [other_owner.account_id]


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_members_are_refused_on_the_admin_routes(owner, action):
    # given: the account's owner, not staff
    payment_id = _record(owner).json()["data"]["id"]

    # when
    listed = owner.client.get(ADMIN_LIST)
    acted = owner.client.post(f"{ADMIN}/{payment_id}/{action}/", {}, format="json")

    # then
    assert (listed.status_code, acted.status_code) == (403, 403)
    assert Payment.unscoped.get(id=payment_id).status == "awaiting_approval"
    assert balance_of(owner.account_id) == 100


def test_viewers_cannot_record_transfers_but_read_payments(owner, member_factory):
    # given
    viewer = member_factory(owner, Role.VIEWER)
    _record(owner)

    # when
    refused = _record(viewer)
    listed = viewer.client.get(f"{API}/payments/")

    # then
    assert refused.status_code == 403
    assert listed.status_code == 200 and listed.json()["count"] == 1


def test_a_transfer_needs_a_reference_and_one_thing_to_buy(owner):
    # when
    no_reference = _record(owner, transfer_reference="")
    both = _record(owner, plan="starter")
    unknown_field = _record(owner, credits=1_000_000)

    # then
    assert no_reference.status_code == 400
    assert both.status_code == 400
    assert unknown_field.status_code == 400
    assert Payment.unscoped.filter(account_id=owner.account_id).count() == 0


def test_buying_a_package_by_bank_transfer_waits_for_approval(owner, staff):
    # given
    package = CreditPackage.objects.get(slug="credits-2500")

    # when
    response = owner.client.post(
        f"{API}/credit-packages/{package.id}/purchase/",
        {"method": "manual", "transfer_reference": "REF-2500"},
        format="json",
    )
    staff.client.post(f"{ADMIN}/{response.json()['data']['payment_id']}/approve/")

    # then
    assert response.status_code == 201
    assert response.json()["data"]["payment"]["status"] == "awaiting_approval"
    assert balance_of(owner.account_id) == 2600


def test_an_approved_transfer_for_a_plan_starts_it(owner, staff):
    # given
    payment_id = owner.client.post(
        f"{API}/payments/manual/",
        {"plan": "growth", "transfer_reference": "REF-GROWTH"},
        format="json",
    ).json()["data"]["id"]

    # when
    staff.client.post(f"{ADMIN}/{payment_id}/approve/")

    # then
    active = Subscription.unscoped.get(account_id=owner.account_id, status="active")
    assert active.plan.slug == "growth"
    assert balance_of(owner.account_id) == 5100


def _admin_action(staff, action: str, *ids: int):
    from django.test import Client

    client = Client()
    client.force_login(staff.user)
    return client.post(
        "/admin/billing/payment/",
        {"action": action, "_selected_action": [str(i) for i in ids]},
        follow=True,
    )


def test_staff_approve_a_transfer_with_the_admin_action_and_credits_arrive_once(
    owner, billing_operator
):
    staff = billing_operator
    # given
    payment_id = _record(owner).json()["data"]["id"]
    assert balance_of(owner.account_id) == 100

    # when
    page = _admin_action(staff, "approve_transfers", payment_id)
    again = _admin_action(staff, "approve_transfers", payment_id)

    # then
    assert b"1 payment(s) approved." in page.content
    assert b"payment(s) approved" not in again.content  # nothing changed the second time
    payment = Payment.unscoped.get(id=payment_id)
    assert (payment.status, payment.approved_by_id) == ("succeeded", staff.user.id)
    assert balance_of(owner.account_id) == 600
    assert Invoice.unscoped.get(payment_id=payment_id).status == "paid"


def test_the_admin_action_rejects_a_transfer_and_reports_what_it_could_not_decide(
    owner, billing_operator
):
    staff = billing_operator
    # given: one transfer, already rejected through the API, and a fresh one
    first = _record(owner).json()["data"]["id"]
    second = _record(owner, transfer_reference="BANK-REF-2").json()["data"]["id"]
    _admin_action(staff, "reject_transfers", first)

    # when
    page = _admin_action(staff, "approve_transfers", first, second)

    # then: the rejected one is reported, the other approved
    assert b"A failed payment cannot be approved." in page.content
    assert Payment.unscoped.get(id=first).status == "failed"
    assert Payment.unscoped.get(id=second).status == "succeeded"
    assert balance_of(owner.account_id) == 600
