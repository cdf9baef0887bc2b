"""Adapters over the providers' real APIs; `adapter_for(provider)` picks one."""

from __future__ import annotations

from flowline.drives.cloud_files import GOOGLE_DRIVE, ONEDRIVE
from flowline.drives.errors import DriveNotConnected
from flowline.drives.providers.base import DriveAdapter
from flowline.drives.providers.google import GoogleDriveAdapter
from flowline.drives.providers.microsoft import OneDriveAdapter

_ADAPTERS: dict[str, type[DriveAdapter]] = {
    GOOGLE_DRIVE: GoogleDriveAdapter,
    ONEDRIVE: OneDriveAdapter,
}


def adapter_for(provider: str) -> DriveAdapter:
    """The adapter of `provider`, configured from settings at call time."""
    try:
        return _ADAPTERS[provider]()
    except KeyError:
        raise DriveNotConnected(
            f"Unknown cloud drive provider {provider!r}.", errors={"provider": [provider]}
        ) from None
