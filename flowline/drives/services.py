"""Cloud drive services: use a user's connection (refreshing its tokens), save files.

Tokens are refreshed when they expire within DRIVE_REFRESH_MARGIN seconds, and once more
when the API still answers 401. A refused refresh marks the connection expired.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from flowline.core import tenancy
from flowline.drives.cloud_files import CloudFile, DownloadedFile
from flowline.drives.errors import DriveNotConnected, DriveTokenExpired
from flowline.drives.models import CloudConnection, SavedCloudFile
from flowline.drives.providers import adapter_for
from flowline.drives.providers.base import AccessTokenRejected, DriveAdapter, TokenGrant

T = TypeVar("T")


def connection_get(*, user_id: int, provider: str) -> CloudConnection:
    """The user's connection to `provider` in the active account; never another user's."""
    connection = CloudConnection.objects.filter(user_id=user_id, provider=provider).first()
    if connection is None or connection.status == CloudConnection.Status.REVOKED:
        raise DriveNotConnected(
            f"Connect {_label(provider)} first.", errors={"provider": [provider]}
        )
    if connection.status == CloudConnection.Status.EXPIRED:
        raise DriveTokenExpired(
            f"The {_label(provider)} connection has expired; connect it again.",
            errors={"provider": [provider]},
        )
    return connection


def connection_save(
    *, user_id: int, provider: str, grant: TokenGrant, account_email: str
) -> CloudConnection:
    """Store fresh tokens for the user and provider (a reconnect replaces the old ones)."""
    connection, _ = CloudConnection.objects.update_or_create(
        user_id=user_id,
        provider=provider,
        defaults={
            "access_token": grant.access_token,
            "refresh_token": grant.refresh_token,
            "expires_at": _expiry(grant),
            "scope": grant.scope,
            "account_email": account_email,
            "status": CloudConnection.Status.ACTIVE,
        },
    )
    return connection


def connection_delete(*, connection: CloudConnection) -> None:
    """Disconnect: forget the tokens (the user can revoke the grant at the provider too)."""
    connection.delete()


def connection_refresh(*, connection: CloudConnection, adapter: DriveAdapter) -> CloudConnection:
    """New tokens from the refresh token, under a row lock so concurrent callers refresh
    once; a refused refresh marks the connection expired and raises drive_token_expired."""
    seen_token = connection.access_token
    refused: DriveTokenExpired | None = None
    with transaction.atomic():
        locked = CloudConnection.objects.select_for_update().get(pk=connection.pk)
        if locked.access_token != seen_token and not _expiring(locked):
            return locked  # another request refreshed it meanwhile
        try:
            if not locked.refresh_token:
                raise DriveTokenExpired(
                    f"The {_label(locked.provider)} connection cannot be renewed; connect it again."
                )
            grant = adapter.refresh(refresh_token=locked.refresh_token)
        except DriveTokenExpired as exc:
            refused = exc
        else:
            locked.access_token = grant.access_token
            locked.refresh_token = grant.refresh_token
            locked.expires_at = _expiry(grant)
            locked.scope = grant.scope or locked.scope
            locked.save(
                update_fields=["access_token", "refresh_token", "expires_at", "scope", "updated_at"]
            )
    if refused is not None:
        # Outside the atomic block: raising inside it would roll the mark back.
        _mark_expired(locked)
        raise refused
    return locked


def with_connection(
    *, user_id: int, account_id: int, provider: str, call: Callable[[DriveAdapter, str], T]
) -> T:
    """Run `call(adapter, access_token)` with the user's fresh token, refreshing once on 401."""
    with tenancy.tenant_scope(account_id, user_id=user_id):
        connection = connection_get(user_id=user_id, provider=provider)
        adapter = adapter_for(provider)
        if _expiring(connection):
            connection = connection_refresh(connection=connection, adapter=adapter)
        try:
            return call(adapter, connection.access_token)
        except AccessTokenRejected:
            connection = connection_refresh(connection=connection, adapter=adapter)
        try:
            return call(adapter, connection.access_token)
        except AccessTokenRejected as exc:
            _mark_expired(connection)
            raise DriveTokenExpired(
                f"{_label(provider)} refused the renewed token; connect it again."
            ) from exc


def drive_list_files(
    *, user_id: int, account_id: int, provider: str, folder_id: str | None
) -> list[CloudFile]:
    return with_connection(
        user_id=user_id,
        account_id=account_id,
        provider=provider,
        call=lambda adapter, token: adapter.list_files(token, folder_id or None),
    )


def drive_file_metadata(*, user_id: int, account_id: int, provider: str, file_id: str) -> CloudFile:
    return with_connection(
        user_id=user_id,
        account_id=account_id,
        provider=provider,
        call=lambda adapter, token: adapter.metadata(token, file_id),
    )


def drive_download(*, user_id: int, account_id: int, provider: str, file_id: str) -> DownloadedFile:
    return with_connection(
        user_id=user_id,
        account_id=account_id,
        provider=provider,
        call=lambda adapter, token: adapter.download(token, file_id),
    )


def saved_files_create(*, user_id: int, account_id: int, files: list[dict]) -> list[SavedCloudFile]:
    """Save chosen files into an agent's context. Each is looked up at its provider first
    (it must exist and be visible to the user); saving one again refreshes its name."""
    saved = []
    for chosen in files:
        meta = drive_file_metadata(
            user_id=user_id,
            account_id=account_id,
            provider=chosen["provider"],
            file_id=chosen["file_id"],
        )
        saved.append((chosen, meta))
    rows = []
    with tenancy.tenant_scope(account_id, user_id=user_id), transaction.atomic():
        for chosen, meta in saved:
            row, _ = SavedCloudFile.objects.update_or_create(
                user_id=user_id,
                provider=meta.provider,
                file_id=meta.id,
                process_id=chosen.get("process_id"),
                defaults={"name": meta.name, "mime_type": meta.mime_type},
            )
            rows.append(row)
    return rows


def _expiry(grant: TokenGrant):
    if grant.expires_in is None:
        return None
    return timezone.now() + timedelta(seconds=grant.expires_in)


def _expiring(connection: CloudConnection) -> bool:
    if connection.expires_at is None:
        return False
    margin = timedelta(seconds=settings.DRIVE_REFRESH_MARGIN)
    return connection.expires_at <= timezone.now() + margin


def _mark_expired(connection: CloudConnection) -> None:
    CloudConnection.objects.filter(pk=connection.pk).update(
        status=CloudConnection.Status.EXPIRED, updated_at=timezone.now()
    )


def _label(provider: str) -> str:
    return {"google_drive": "Google Drive", "onedrive": "OneDrive"}.get(provider, provider)
