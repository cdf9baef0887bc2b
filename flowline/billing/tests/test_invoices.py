"""Invoices: numbered in order, readable by members, downloadable as a real PDF."""

import io
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from flowline.billing.models import CreditPackage
from flowline.billing.services import invoices, payments
from flowline.billing.tests.factories import InvoiceFactory
from flowline.core.roles import Role

pytestmark = pytest.mark.django_db
API = "/api/v1/billing/invoices"


def _manual_payment(account_id, slug="credits-500"):
    return payments.payment_manual_create(
        account_id=account_id,
        user_id=None,
        transfer_reference="REF",
        credit_package=CreditPackage.objects.get(slug=slug),
    )


def test_invoice_numbers_follow_each_other_across_accounts(owner, other_owner):
    # when
    first = invoices.invoice_for_payment(payment=_manual_payment(owner.account_id))
    second = invoices.invoice_for_payment(payment=_manual_payment(other_owner.account_id))
    third = invoices.invoice_for_payment(payment=_manual_payment(owner.account_id))

    # then
    year = timezone.now().year
    assert [first.number, second.number, third.number] == [
        f"INV-{year}-000001",
        f"INV-{year}-000002",
        f"INV-{year}-000003",
    ]


def test_a_payment_has_one_invoice_however_often_it_is_asked(owner):
    # given
    payment = _manual_payment(owner.account_id)

    # when
    again = invoices.invoice_for_payment(payment=payment)
    paid = invoices.invoice_mark_paid(payment=payment)

    # then
    assert again.pk == paid.pk == payment.invoice.pk
    assert paid.status == "paid"


def test_tax_is_split_out_of_the_price(owner, settings):
    # given
    settings.BILLING_TAX_RATE_PERCENT = 20

    # when
    invoice = invoices.invoice_for_payment(payment=_manual_payment(owner.account_id))

    # then
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal("8.33"),
        Decimal("1.67"),
        Decimal("10.00"),
    )


def test_the_pdf_carries_the_number_lines_and_total(owner, member_factory):
    # given: a viewer of an account with an invoice for 2,500 credits
    invoice = invoices.invoice_for_payment(
        payment=_manual_payment(owner.account_id, slug="credits-2500")
    )
    viewer = member_factory(owner, Role.VIEWER)

    # when
    response = viewer.client.get(f"{API}/{invoice.id}/download_pdf/")

    # then: a PDF whose text reads back the number, the line and the total
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{invoice.number}.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert invoice.number in text
    assert "2,500 credits" in text
    assert "Total:" in text and "USD 45.00" in text
    assert f"Account of {owner.user.email}" in text
    assert reader.metadata.title == f"Invoice {invoice.number}"


def test_members_list_and_filter_their_invoices(owner, member_factory):
    # given
    open_invoice = invoices.invoice_for_payment(payment=_manual_payment(owner.account_id))
    paid_payment = _manual_payment(owner.account_id)
    paid = invoices.invoice_mark_paid(payment=paid_payment)
    viewer = member_factory(owner, Role.VIEWER)

    # when
    everything = viewer.client.get(f"{API}/").json()
    only_paid = viewer.client.get(f"{API}/", {"status": "paid"}).json()
    detail = viewer.client.get(f"{API}/{open_invoice.id}/").json()["data"]

    # then
    assert everything["count"] == 2
    assert [row["number"] for row in only_paid["results"]] == [paid.number]
    assert detail["total"] == "10.00" and detail["lines"][0]["credits"] == 500


def test_another_accounts_invoice_and_its_pdf_are_404(owner, other_owner):
    # given
    invoice = InvoiceFactory(account=other_owner.account)

    # when
    detail = owner.client.get(f"{API}/{invoice.id}/")
    pdf = owner.client.get(f"{API}/{invoice.id}/download_pdf/")

    # then
    assert (detail.status_code, pdf.status_code) == (404, 404)
    assert owner.client.get(f"{API}/").json()["count"] == 0
