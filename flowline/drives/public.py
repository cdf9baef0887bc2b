"""What other apps may call: browse and download a user's Google Drive or OneDrive files.

Every function acts for one user in one account with that user's own connection (tokens
are refreshed when needed). Errors are `DriveError` subclasses: drive_not_connected (400),
drive_token_expired (401), drive_not_found (404), drive_unavailable (502, `transient`).
"""

from __future__ import annotations

from flowline.drives import services
from flowline.drives.cloud_files import GOOGLE_DRIVE, ONEDRIVE, PROVIDERS, CloudFile, DownloadedFile
from flowline.drives.errors import (
    DriveError,
    DriveNotConnected,
    DriveNotFound,
    DriveTokenExpired,
    DriveUnavailable,
)

__all__ = [
    "GOOGLE_DRIVE",
    "ONEDRIVE",
    "PROVIDERS",
    "CloudFile",
    "DownloadedFile",
    "DriveError",
    "DriveNotConnected",
    "DriveNotFound",
    "DriveTokenExpired",
    "DriveUnavailable",
    "download",
    "file_metadata",
    "list_files",
]


def list_files(
    *, user_id: int, account_id: int, provider: str, folder_id: str | None = None
) -> list[CloudFile]:
    """The files and folders in `folder_id` (the drive's root when None), every page."""
    return services.drive_list_files(
        user_id=user_id, account_id=account_id, provider=provider, folder_id=folder_id
    )


def file_metadata(*, user_id: int, account_id: int, provider: str, file_id: str) -> CloudFile:
    """One file's or folder's metadata."""
    return services.drive_file_metadata(
        user_id=user_id, account_id=account_id, provider=provider, file_id=file_id
    )


def download(*, user_id: int, account_id: int, provider: str, file_id: str) -> DownloadedFile:
    """A file's content; Google Sheets come as XLSX, Google Docs as plain text."""
    return services.drive_download(
        user_id=user_id, account_id=account_id, provider=provider, file_id=file_id
    )
