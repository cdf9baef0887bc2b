"""The sandbox drives' sample content: a folder with a CSV, an XLSX and a PDF."""

from __future__ import annotations

from flowline.sandbox.drives.sheets import LEADS, XLSX_MIME, xlsx

FOLDER = "Flowline sandbox samples"


def csv_bytes() -> bytes:
    return "\n".join(",".join(row) for row in LEADS).encode() + b"\n"


def pdf_bytes(title: str = "Flowline sandbox price list") -> bytes:
    """A one-page PDF (valid enough for readers and for Flowline's loaders)."""
    text = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def seed(drive) -> None:
    """Put the sample folder and files into a fake drive (Google or OneDrive)."""
    folder = drive.add_folder(FOLDER)
    drive.add_file("leads.csv", csv_bytes(), "text/csv", parent=folder)
    drive.add_file("leads.xlsx", xlsx(LEADS, title="Leads"), XLSX_MIME, parent=folder)
    drive.add_file("price-list.pdf", pdf_bytes(), "application/pdf", parent=folder)
