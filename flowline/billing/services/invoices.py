"""Invoices: one per payment, numbered INV-<year>-<000001> in order without gaps.

Prices include tax; `BILLING_TAX_RATE_PERCENT` splits the tax out of the total on the
invoice, so an invoice's total is always what was paid.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from flowline.billing.models import Invoice, InvoiceSequence, Payment
from flowline.identity import public as identity

CENT = Decimal("0.01")


def _next_number(year: int) -> str:
    """Take the year's next number; the sequence row is locked until the caller commits,
    so concurrent invoices get consecutive, distinct numbers."""
    InvoiceSequence.objects.get_or_create(year=year)
    InvoiceSequence.objects.filter(year=year).update(last_number=F("last_number") + 1)
    number = InvoiceSequence.objects.select_for_update().get(year=year).last_number
    return f"INV-{year}-{number:06d}"


def split_tax(total: Decimal) -> tuple[Decimal, Decimal]:
    """(subtotal, tax) of a tax-inclusive total."""
    rate = Decimal(str(settings.BILLING_TAX_RATE_PERCENT)) / 100
    subtotal = (total / (1 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    return subtotal, total - subtotal


def _billed_to(account_id: int) -> str:
    contact = identity.billing_contact(account_id)
    return f"{contact.name} <{contact.email}>"


@transaction.atomic
def invoice_for_payment(*, payment: Payment) -> Invoice:
    """The payment's invoice, issued (open) now if it has none yet."""
    existing = Invoice.unscoped.filter(payment=payment).first()
    if existing is not None:
        return existing
    now = timezone.now()
    subtotal, tax = split_tax(payment.amount)
    line = {
        "description": payment.description,
        "quantity": 1,
        "unit_price": str(subtotal),
        "amount": str(subtotal),
        "credits": payment.credits,
    }
    return Invoice.unscoped.create(
        account_id=payment.account_id,
        number=_next_number(now.year),
        status=Invoice.Status.OPEN,
        currency=payment.currency,
        subtotal=subtotal,
        tax=tax,
        total=payment.amount,
        lines=[line],
        payment=payment,
        billed_to=_billed_to(payment.account_id),
        issued_at=now,
    )


@transaction.atomic
def invoice_mark_paid(*, payment: Payment) -> Invoice:
    """The payment's invoice is paid (issued first if needed); a second call changes nothing."""
    invoice = Invoice.unscoped.select_for_update().get(pk=invoice_for_payment(payment=payment).pk)
    if invoice.status != Invoice.Status.PAID:
        invoice.status = Invoice.Status.PAID
        invoice.paid_at = payment.paid_at or timezone.now()
        invoice.save(update_fields=["status", "paid_at", "updated_at"])
    return invoice


@transaction.atomic
def invoice_void(*, payment: Payment) -> Invoice | None:
    """An unpaid invoice of a payment that will not happen is void (its number stays used)."""
    invoice = Invoice.unscoped.select_for_update().filter(payment=payment).first()
    if invoice is not None and invoice.status in (Invoice.Status.DRAFT, Invoice.Status.OPEN):
        invoice.status = Invoice.Status.VOID
        invoice.save(update_fields=["status", "updated_at"])
    return invoice
