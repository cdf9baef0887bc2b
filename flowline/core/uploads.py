"""Uploaded documents checked by their bytes: the one checker every app uses for files
that are not images (images are `core.images`).

A file is accepted only when its name ends with one of the kinds the endpoint allows
and its bytes are that kind: a PDF starts with `%PDF-`, an XLSX is a ZIP holding a
workbook (and not a ZIP bomb), a CSV, TXT or Markdown file is text without NUL bytes
that does not open like markup. HTML, SVG, XML and anything unlisted are refused, so a
stored file can never be a page or a script. The client's file name is kept only as a
name to show, never to store under, and one with a path, a control character or no
name at all is refused.

Refusals are `FileRefused` with a `reason`; `ApplicationError`-style `status` and
`code` say how to answer.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from flowline.core.images import ImageRefused, InputRefused, read_limited


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str
    family: str  # how the bytes are checked: "pdf", "xlsx" or "text"


KINDS = {
    "csv": Kind("csv", "text/csv", "text"),
    "txt": Kind("txt", "text/plain", "text"),
    "md": Kind("md", "text/markdown", "text"),
    "pdf": Kind("pdf", "application/pdf", "pdf"),
    "xlsx": Kind(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    ),
}
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024  # an XLSX inflating past this is a ZIP bomb
MAX_NAME_LENGTH = 255
_MARKUP = re.compile(rb"^\s*<\s*[!?a-zA-Z/]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class FileRefused(InputRefused):
    """Why an upload is not accepted.

    `reason`: `too_large` (413), `bad_name` (a path, control characters, no name),
    `wrong_type` (a kind the endpoint does not take), `mismatch` (the bytes are not what
    the name says), `unreadable`."""

    codes = {**InputRefused.codes, "bad_name": "invalid_file_name"}
    default_code = "unsupported_file"


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed its checks: its bytes, its kind and the name to show."""

    data: bytes
    kind: Kind
    name: str

    @property
    def extension(self) -> str:
        return self.kind.extension

    @property
    def content_type(self) -> str:
        return self.kind.content_type


def display_name(name: str) -> str:
    """`name` as a file name to show, or `FileRefused("bad_name")` when it holds a path,
    a control character, or is empty, `.` or `..`."""
    name = (name or "").strip()
    if not name or name in (".", ".."):
        raise FileRefused("bad_name", "the file has no name.")
    if "/" in name or "\\" in name or _CONTROL.search(name):
        raise FileRefused("bad_name", "the file name must not hold a path or control characters.")
    if len(name) > MAX_NAME_LENGTH:
        raise FileRefused("bad_name", f"the file name is longer than {MAX_NAME_LENGTH} characters.")
    return name


def _names(kinds) -> str:
    names = [f".{kind}" for kind in kinds]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def check_file(upload, *, kinds: tuple[str, ...], max_bytes: int, name: str | None = None):
    """`upload` (an uploaded file, or bytes with `name`) checked as one of `kinds`
    (keys of `KINDS`), or `FileRefused`. Returns a `CheckedFile`."""
    shown = display_name(name if name is not None else getattr(upload, "name", ""))
    extension = shown.rsplit(".", 1)[-1].lower() if "." in shown else ""
    if extension not in kinds:
        raise FileRefused("wrong_type", f"only {_names(kinds)} files are accepted.")
    kind = KINDS[extension]
    try:
        data = read_limited(upload, max_bytes)
    except ImageRefused as exc:  # the only refusal of read_limited: too large
        raise FileRefused("too_large", f"larger than {max_bytes} bytes.") from exc
    _CHECKS[kind.family](data, kind)
    return CheckedFile(data=data, kind=kind, name=shown)


def _pdf(data: bytes, kind: Kind) -> None:
    if not data.startswith(b"%PDF-"):
        raise FileRefused("mismatch", "the file is not a PDF.")


def _xlsx(data: bytes, kind: Kind) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            unzipped = sum(entry.file_size for entry in entries)
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileRefused("mismatch", "the file is not an XLSX workbook.") from exc
    # The workbook part's exact name is the package's choice; its folder is not.
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise FileRefused("mismatch", "the file is not an XLSX workbook.")
    if unzipped > MAX_UNZIPPED_BYTES:
        raise FileRefused("unreadable", "the workbook unpacks to more than 256 MiB.")


def _text(data: bytes, kind: Kind) -> None:
    if b"\x00" in data:
        raise FileRefused("mismatch", f"the file is not a .{kind.extension} text file.")
    if _MARKUP.match(data.removeprefix(b"\xef\xbb\xbf")):
        raise FileRefused("mismatch", "HTML, SVG and XML files are not accepted.")


_CHECKS = {"pdf": _pdf, "xlsx": _xlsx, "text": _text}
