"""Cloud drive services (filled in by the next commits)."""

from __future__ import annotations

from flowline.drives.cloud_files import CloudFile, DownloadedFile


def drive_list_files(
    *, user_id: int, account_id: int, provider: str, folder_id: str | None
) -> list[CloudFile]:
    raise NotImplementedError


def drive_file_metadata(*, user_id: int, account_id: int, provider: str, file_id: str) -> CloudFile:
    raise NotImplementedError


def drive_download(*, user_id: int, account_id: int, provider: str, file_id: str) -> DownloadedFile:
    raise NotImplementedError
