"""The drives' part of a user's data export: the cloud files they saved for agents
(metadata only) and their drive connections (never the tokens)."""

from __future__ import annotations

from flowline.drives.models import CloudConnection, SavedCloudFile


def user_drives_export(user) -> dict:
    return {
        "files": list(
            SavedCloudFile.unscoped.filter(user=user)
            .order_by("id")
            .values(
                "id",
                "account_id",
                "provider",
                "file_id",
                "name",
                "mime_type",
                "process_id",
                "created_at",
            )
        ),
        "connections": list(
            CloudConnection.unscoped.filter(user=user)
            .order_by("id")
            .values("account_id", "provider", "account_email", "status", "scope", "created_at")
        ),
    }
