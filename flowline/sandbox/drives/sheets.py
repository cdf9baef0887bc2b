"""Real spreadsheet files for fakes and tests (openpyxl)."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows: list[list], *, title: str = "Sheet1") -> bytes:
    """An XLSX workbook with one sheet holding `rows` (the first row is the header)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(content: bytes) -> list[list]:
    """The first sheet's rows as lists of values."""
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


LEADS = [
    ["name", "company", "phone", "city"],
    ["Ana Costa", "Lisboa Bakes", "+351912345678", "Lisbon"],
    ["Bruno Silva", "Porto Tech", "+351934567890", "Porto"],
    ["Carla Dias", "Faro Surf", "+351961234567", "Faro"],
]
