"""Extract/load of every supported file type, and refusal of the rest."""

import io

import pytest
from reportlab.pdfgen import canvas

from flowline.agents.services import loading
from flowline.core.errors import ApplicationError
from flowline.sandbox.drives.sheets import xlsx


def test_csv_and_xlsx_become_rows_keyed_by_their_header():
    csv_rows = loading.load("leads.csv", "text/csv", b"Name,Phone\nAna,+351 1\n,\nRui,+351 2\n")
    assert csv_rows.rows[0] == {"Name": "Ana", "Phone": "+351 1"} and len(csv_rows.rows) == 3
    sheet = loading.load(
        "leads.xlsx",
        "",
        xlsx([["Name", "City"], ["Ana", "Lisbon"], [None, None], ["Rui", "Porto"]]),
    )
    assert sheet.rows == [{"Name": "Ana", "City": "Lisbon"}, {"Name": "Rui", "City": "Porto"}]


def test_text_and_pdf_become_chunks():
    text = loading.load(
        "notes.txt", "text/plain", ("First paragraph.\n\n" + "x" * 1600 + "\n\nLast.").encode()
    )
    assert len(text.chunks) == 3 and text.chunks[0] == "First paragraph."
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, "Ana Costa likes yoga in Lisbon")
    pdf.save()
    document = loading.load("profile.pdf", "application/pdf", buffer.getvalue())
    assert "Ana Costa likes yoga in Lisbon" in document.chunks[0]


@pytest.mark.parametrize(
    ("name", "mime", "content", "code"),
    [
        ("image.png", "image/png", b"\x89PNG", "unsupported_file"),
        ("broken.xlsx", "", b"not a zip", "unreadable_file"),
        ("broken.pdf", "application/pdf", b"%PDF-nonsense", "unreadable_file"),
    ],
)
def test_unsupported_or_broken_files_fail_with_a_clear_code(name, mime, content, code):
    with pytest.raises(ApplicationError) as raised:
        loading.load(name, mime, content)
    assert raised.value.code == code
