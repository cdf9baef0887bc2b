"""The provider-neutral view of a file in a cloud drive, shared by adapters and callers."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

GOOGLE_DRIVE = "google_drive"
ONEDRIVE = "onedrive"
PROVIDERS = (GOOGLE_DRIVE, ONEDRIVE)


@dataclass(frozen=True, slots=True)
class CloudFile:
    """A file or folder as a provider describes it (ids are the provider's)."""

    id: str
    name: str
    mime_type: str
    size: int | None
    modified_at: datetime | None
    is_folder: bool
    provider: str
    parent_id: str | None
    web_url: str | None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class DownloadedFile:
    """A file's bytes; Google Sheets/Docs arrive exported (XLSX / plain text)."""

    name: str
    mime_type: str
    content: bytes
    size: int
