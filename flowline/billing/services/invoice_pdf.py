"""An invoice as a one-page PDF, drawn with ReportLab."""

from __future__ import annotations

import io

from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from flowline.billing.models import Invoice


def _money(invoice: Invoice, amount) -> str:
    return f"{invoice.currency} {amount}"


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice's PDF: seller, buyer, number, dates, lines, subtotal, tax, total, status."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"Invoice {invoice.number}")
    pdf.setAuthor(settings.BILLING_SELLER_NAME)
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    y = height - 25 * mm

    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(left, y, settings.BILLING_SELLER_NAME)
    pdf.drawRightString(right, y, "INVOICE")
    y -= 12 * mm
    pdf.setFont("Helvetica", 10)
    issued = invoice.issued_at.date().isoformat() if invoice.issued_at else "-"
    for label, value in (
        ("Invoice number", invoice.number),
        ("Issued", issued),
        ("Status", invoice.get_status_display()),
        ("Billed to", invoice.billed_to or f"Account {invoice.account_id}"),
    ):
        pdf.drawString(left, y, f"{label}:")
        pdf.drawString(left + 35 * mm, y, value)
        y -= 6 * mm
    if invoice.paid_at:
        pdf.drawString(left, y, "Paid:")
        pdf.drawString(left + 35 * mm, y, invoice.paid_at.date().isoformat())
        y -= 6 * mm

    y -= 6 * mm
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(left, y, "Description")
    pdf.drawRightString(right - 45 * mm, y, "Qty")
    pdf.drawRightString(right, y, "Amount")
    pdf.line(left, y - 2 * mm, right, y - 2 * mm)
    y -= 8 * mm
    pdf.setFont("Helvetica", 10)
    for line in invoice.lines:
        pdf.drawString(left, y, str(line.get("description", ""))[:70])
        pdf.drawRightString(right - 45 * mm, y, str(line.get("quantity", 1)))
        pdf.drawRightString(right, y, _money(invoice, line.get("amount", "")))
        y -= 6 * mm

    y -= 4 * mm
    pdf.line(right - 80 * mm, y + 2 * mm, right, y + 2 * mm)
    for label, amount, bold in (
        ("Subtotal", invoice.subtotal, False),
        ("Tax", invoice.tax, False),
        ("Total", invoice.total, True),
    ):
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", 11 if bold else 10)
        pdf.drawString(right - 80 * mm, y - 4 * mm, f"{label}:")
        pdf.drawRightString(right, y - 4 * mm, _money(invoice, amount))
        y -= 7 * mm

    pdf.setFont("Helvetica", 8)
    pdf.drawString(left, 15 * mm, "Prices include tax where it applies.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
