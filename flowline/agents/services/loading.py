"""Extract and load: turn a downloaded file into rows (CSV, XLSX) or text chunks (text, PDF)."""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass, field

from flowline.core.errors import ApplicationError

CHUNK_CHARS = 1500
MAX_ROWS = 50_000


@dataclass
class Loaded:
    rows: list[dict] = field(default_factory=list)
    chunks: list[str] = field(default_factory=list)


def load(name: str, mime_type: str, content: bytes) -> Loaded:
    """Parse by type; unknown types are refused with a clear error (the file fails, not the run)."""
    lowered = name.lower()
    if lowered.endswith(".csv") or mime_type == "text/csv":
        return Loaded(rows=_csv(content))
    if lowered.endswith(".xlsx") or "spreadsheetml" in mime_type:
        return Loaded(rows=_xlsx(content))
    if lowered.endswith(".pdf") or mime_type == "application/pdf":
        return Loaded(chunks=_chunks(_pdf_text(content)))
    if lowered.endswith((".txt", ".md")) or mime_type.startswith("text/"):
        return Loaded(chunks=_chunks(content.decode("utf-8", errors="replace")))
    raise ApplicationError(
        f"{name}: unsupported file type ({mime_type or 'unknown'}).", code="unsupported_file"
    )


def _csv(content: bytes) -> list[dict]:
    text = content.decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    return [
        {k.strip(): (v or "").strip() for k, v in row.items() if k}
        for row in itertools.islice(reader, MAX_ROWS)
    ]


def _xlsx(content: bytes) -> list[dict]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for broken files
        raise ApplicationError("The spreadsheet cannot be read.", code="unreadable_file") from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [
        str(cell).strip() if cell is not None else f"column_{i + 1}"
        for i, cell in enumerate(next(rows, []) or [])
    ]
    loaded = []
    for values in itertools.islice(rows, MAX_ROWS):
        if values is None or all(cell is None for cell in values):
            continue
        loaded.append(
            {
                header[i]: ("" if cell is None else str(cell))
                for i, cell in enumerate(values)
                if i < len(header)
            }
        )
    workbook.close()
    return loaded


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as exc:
        raise ApplicationError("The PDF cannot be read.", code="unreadable_file") from exc


def _chunks(text: str) -> list[str]:
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    chunks, current = [], ""
    for paragraph in paragraphs:
        if current and len(current) + len(paragraph) > CHUNK_CHARS:
            chunks.append(current)
            current = ""
        current = f"{current}\n\n{paragraph}".strip()
    if current:
        chunks.append(current)
    return chunks
