"""Keywords in and out as CSV (003 `import_keywords`, `export`).

Imports stream the upload row by row and insert in batches, so memory does not grow with
the file (only the set of keywords already seen, to catch duplicates). Every bad row is
reported with its line number and reason; the good rows are committed together, in one
transaction, and only when the whole file was read (a file that is not CSV, too long or
past the plan's keyword limit imports nothing). Exports escape cells a spreadsheet would
run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from flowline.billing import public as billing
from flowline.core import tenancy
from flowline.core.errors import ApplicationError
from flowline.planner.models import Keyword, normalize_keyword
from flowline.planner.services.keywords import account_keyword_count, check_sector

if TYPE_CHECKING:  # annotations only: planner reaches sites through its public.py
    from flowline.sites.models import Sector, Site

BATCH = 2_000
MAX_REPORTED_ERRORS = 1_000
_COLUMNS = {
    "keyword": "keyword",
    "keywords": "keyword",
    "phrase": "keyword",
    "volume": "volume",
    "search volume": "volume",
    "search_volume": "volume",
    "difficulty": "difficulty",
    "kd": "difficulty",
    "keyword difficulty": "difficulty",
    "intent": "intent",
    "cpc": "cpc",
    "status": "status",
}
# (CSV header, row key)
EXPORT_COLUMNS = [
    ("id", "id"),
    ("keyword", "keyword"),
    ("volume", "volume"),
    ("difficulty", "difficulty"),
    ("intent", "intent"),
    ("cpc", "cpc"),
    ("status", "status"),
    ("cluster", "cluster_name"),
    ("site_id", "site_id"),
    ("sector_id", "sector_id"),
    ("created_at", "created_at"),
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_INTENTS = set(Keyword.Intent.values)
_STATUSES = set(Keyword.Status.values)


@dataclass
class ImportResult:
    imported_count: int = 0
    duplicate_count: int = 0
    error_count: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def errors_truncated(self) -> bool:
        return self.error_count > len(self.errors)

    def refuse(self, line: int, keyword: str, code: str, reason: str) -> None:
        self.error_count += 1
        if code == "duplicate":
            self.duplicate_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(
                {"line": line, "keyword": keyword[:255], "code": code, "reason": reason}
            )


class _RowError(ValueError):
    pass


def _integer(value: str, name: str, *, maximum: int) -> int:
    text = value.strip().replace(",", "").replace("_", "")
    if not text:
        return 0
    try:
        number = int(Decimal(text))
    except (InvalidOperation, ValueError):
        raise _RowError(f"{name} must be a whole number, got {value!r}.") from None
    if number < 0 or number > maximum:
        raise _RowError(f"{name} must be between 0 and {maximum}, got {number}.")
    return number


def _row(values: dict[str, str]) -> dict:
    """The keyword fields of one CSV row; raises _RowError naming what is wrong."""
    keyword = " ".join(values.get("keyword", "").split())
    if not keyword:
        raise _RowError("The keyword is empty.")
    if len(keyword) > 255:
        raise _RowError("The keyword is longer than 255 characters.")
    if any(ord(char) < 32 or ord(char) == 127 for char in keyword):
        raise _RowError("The keyword contains control characters.")
    fields = {
        "keyword": keyword,
        "volume": _integer(values.get("volume", ""), "volume", maximum=2_147_483_647),
        "difficulty": _integer(values.get("difficulty", ""), "difficulty", maximum=100),
    }
    intent = values.get("intent", "").strip().lower()
    if intent and intent not in _INTENTS:
        raise _RowError(f"intent must be one of {', '.join(sorted(_INTENTS))}, got {intent!r}.")
    if intent:
        fields["intent"] = intent
    status = values.get("status", "").strip().lower()
    if status and status not in _STATUSES:
        raise _RowError(f"status must be one of {', '.join(sorted(_STATUSES))}, got {status!r}.")
    if status:
        fields["status"] = status
    cpc = values.get("cpc", "").strip().lstrip("$")
    if cpc:
        try:
            amount = Decimal(cpc)
        except InvalidOperation:
            raise _RowError(f"cpc must be a number, got {cpc!r}.") from None
        if not amount.is_finite() or amount < 0 or amount >= Decimal("1e8"):
            raise _RowError(f"cpc must be between 0 and 99999999.99, got {cpc!r}.")
        fields["cpc"] = amount.quantize(Decimal("0.01"))
    return fields


def _records(upload) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {column: value}) for each row of the upload after its header."""
    text = io.TextIOWrapper(upload, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader, None)
        if header is None:
            raise ApplicationError("The file is empty.", errors={"file": ["The file is empty."]})
        columns = [_COLUMNS.get(name.strip().lower()) for name in header]
        if "keyword" not in columns:
            raise ApplicationError(
                "The CSV needs a header row with a 'keyword' column.",
                errors={"file": ["No 'keyword' column in the header row."]},
            )
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            row = {
                name: value
                for name, value in zip(columns, values, strict=False)
                if name is not None
            }
            yield reader.line_num, row
    except UnicodeDecodeError:
        raise ApplicationError(
            f"The file is not UTF-8 text (line {reader.line_num + 1}).",
            code="invalid_file",
            errors={"file": ["Upload a UTF-8 CSV file."]},
        ) from None
    except csv.Error as exc:
        raise ApplicationError(
            f"The file is not valid CSV (line {reader.line_num}): {exc}.",
            code="invalid_file",
            errors={"file": [str(exc)]},
        ) from None
    finally:
        text.detach()


def check_upload_size(upload) -> None:
    limit = settings.PLANNER_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise ApplicationError(
            f"The file is larger than {limit} bytes.",
            code="payload_too_large",
            status=413,
            errors={"file": [f"At most {limit} bytes."]},
        )


@transaction.atomic
def keywords_import(*, upload, sector: Sector, site: Site | None = None) -> ImportResult:
    """Import keywords from a CSV upload into `sector` (see the module docstring).

    Columns (header names, any order, case-insensitive): keyword (required), volume,
    difficulty (0-100), intent, cpc, status. A keyword already in the sector, or earlier
    in the file, is reported as a `duplicate` and skipped.
    """
    check_upload_size(upload)
    account_id = tenancy.require().account_id
    check_sector(site=site, sector=sector)
    result = ImportResult()
    starting = account_keyword_count(account_id)
    seen: dict[str, int] = {}
    pending: list[tuple[int, str, dict]] = []
    rows = 0
    for line, values in _records(upload):
        rows += 1
        if rows > settings.PLANNER_IMPORT_MAX_ROWS:
            raise ApplicationError(
                f"The file has more than {settings.PLANNER_IMPORT_MAX_ROWS} rows.",
                code="payload_too_large",
                status=413,
                errors={"file": [f"At most {settings.PLANNER_IMPORT_MAX_ROWS} rows."]},
            )
        try:
            fields = _row(values)
        except _RowError as exc:
            result.refuse(line, values.get("keyword", ""), "invalid", str(exc))
            continue
        normalized = normalize_keyword(fields["keyword"])
        if normalized in seen:
            result.refuse(
                line, fields["keyword"], "duplicate", f"Same keyword as line {seen[normalized]}."
            )
            continue
        seen[normalized] = line
        pending.append((line, normalized, fields))
        if len(pending) >= BATCH:
            _insert(pending, result, account_id=account_id, starting=starting, sector=sector)
            pending = []
    _insert(pending, result, account_id=account_id, starting=starting, sector=sector)
    return result


_INSERT_COLUMNS = [
    "account_id",
    "site_id",
    "sector_id",
    "keyword",
    "normalized",
    "volume",
    "difficulty",
    "intent",
    "cpc",
    "status",
    "created_at",
    "updated_at",
]


def _insert(pending, result: ImportResult, *, account_id: int, starting: int, sector) -> None:
    """Insert one batch of checked rows, minus keywords the sector already has.

    A plain executemany rather than bulk_create: building 100,000 model instances and
    compiling their SQL value by value was most of an import's time.
    """
    if not pending:
        return
    existing = set(
        Keyword.objects.filter(
            sector_id=sector.id, normalized__in=[normalized for _, normalized, _ in pending]
        ).values_list("normalized", flat=True)
    )
    fresh = []
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for line, normalized, fields in pending:
        if normalized in existing:
            result.refuse(line, fields["keyword"], "duplicate", "Already in this sector.")
            continue
        cpc = fields.get("cpc")
        fresh.append(
            (
                account_id,
                sector.site_id,
                sector.id,
                fields["keyword"],
                normalized,
                fields["volume"],
                fields["difficulty"],
                fields.get("intent", Keyword.Intent.INFORMATIONAL),
                None if cpc is None else connection.ops.adapt_decimalfield_value(cpc, 10, 2),
                fields.get("status", Keyword.Status.PENDING),
                now,
                now,
            )
        )
    billing.check_limit(
        account_id=account_id,
        limit="max_keywords",
        current=starting + result.imported_count,
        adding=len(fresh),
    )
    table = connection.ops.quote_name(Keyword._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in _INSERT_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_INSERT_COLUMNS))
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(sql, fresh)
    except IntegrityError as exc:  # another import added some of these meanwhile
        raise ApplicationError(
            "Some of these keywords were added meanwhile; import the file again.",
            code="conflict",
            status=409,
        ) from exc
    result.imported_count += len(fresh)


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ tab or CR gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_lines(rows: Iterable[dict]) -> Iterator[str]:
    """CSV lines (header first) for keyword rows from `selectors.keywords_for_export`."""
    writer = csv.writer(_Echo())
    yield writer.writerow([header for header, _ in EXPORT_COLUMNS])
    for row in rows:
        yield writer.writerow([safe_cell(row.get(key)) for _, key in EXPORT_COLUMNS])
