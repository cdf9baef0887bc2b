"""Data sources: create, update and delete, with their uploaded files kept private.

An uploaded file is checked by its bytes (`core.uploads`: CSV, XLSX, PDF, TXT or
Markdown, as the pipeline reads them) and stored in the private storage under a random
name (`core.private_files`); its original name is kept as `resource_name` when none was
given. Files of replaced or deleted sources go once the change commits; files stored
for a change that fails are removed at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from flowline.agents.models import DataSource
from flowline.core import private_files
from flowline.core.errors import ApplicationError, NotFoundError
from flowline.core.uploads import KINDS as UPLOAD_KINDS
from flowline.core.uploads import CheckedFile, FileRefused, check_file, display_name

KINDS = ("csv", "xlsx", "pdf", "txt", "md")


def upload_check(upload) -> CheckedFile:
    """An uploaded data source file checked by content, or a 400 (413 when too large)."""
    limit = int(getattr(settings, "AGENT_UPLOAD_MAX_BYTES", settings.FLOWLINE_MAX_UPLOAD_BYTES))
    try:
        return check_file(upload, kinds=KINDS, max_bytes=limit)
    except FileRefused as refused:
        raise _refusal(refused, "upload") from refused


def name_check(name: str) -> str:
    """`resource_name` of an uploaded source, which is also its download's file name."""
    try:
        return display_name(name)
    except FileRefused as refused:
        raise _refusal(refused, "resource_name") from refused


def _refusal(refused: FileRefused, field: str) -> ApplicationError:
    message = refused.message[:1].upper() + refused.message[1:]
    return ApplicationError(
        message, code=refused.code, status=refused.status, errors={field: [message]}
    )


def _fields(account_id: int, fields: dict, upload: CheckedFile | None, stored: list) -> dict:
    if upload is None:
        return fields
    name = private_files.store(
        upload.data, folder=f"agent-uploads/{account_id}", extension=upload.extension
    )
    stored.append(name)
    return {**fields, "upload": name, "resource_name": fields.get("resource_name") or upload.name}


def data_sources_create(*, account_id: int, owner_id: int, items: list[dict]) -> list[DataSource]:
    """Create one data source per item (`upload`, when present, is a `CheckedFile`), all
    or none."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            created = []
            for item in items:
                fields = dict(item)
                upload = fields.pop("upload", None)
                created.append(
                    DataSource.objects.create(
                        account_id=account_id,
                        owner_id=owner_id,
                        **_fields(account_id, fields, upload, stored),
                    )
                )
            return created
    except BaseException:
        private_files.delete(stored)
        raise


def data_source_update(*, source: DataSource, **fields) -> DataSource:
    """Change a data source; a new `upload` (a `CheckedFile`) replaces its file."""
    upload = fields.pop("upload", None)
    old = source.upload.name if source.upload else ""
    stored: list[str] = []
    try:
        with transaction.atomic():
            for name, value in _fields(source.account_id, fields, upload, stored).items():
                setattr(source, name, value)
            if source.platform != DataSource.Platform.UPLOAD:
                source.upload = ""  # a source moved to a drive keeps no uploaded file
            source.save()
            if old and old != source.upload.name:
                private_files.delete_on_commit([old])
    except BaseException:
        private_files.delete(stored)
        raise
    return source


@transaction.atomic
def data_sources_delete(*, sources: list[DataSource]) -> int:
    """Delete data sources; their uploaded files go once this commits."""
    names = [source.upload.name for source in sources if source.upload]
    DataSource.objects.filter(id__in=[source.id for source in sources]).delete()
    private_files.delete_on_commit(names)
    return len(sources)


@dataclass(frozen=True)
class StoredFile:
    """Where a source's upload is stored, and the name and type its download carries."""

    name: str
    filename: str
    content_type: str


def data_source_file(*, source: DataSource) -> StoredFile:
    """The uploaded file of a source, named for download (its `resource_name`, else
    `data-source-<id>.<ext>`), or a 404 `no_file` when the source has none."""
    if not source.upload:
        raise NotFoundError("This data source has no uploaded file.", code="no_file")
    extension = source.upload.name.rsplit(".", 1)[-1].lower()
    kind = UPLOAD_KINDS.get(extension)
    return StoredFile(
        name=source.upload.name,
        filename=source.resource_name or f"data-source-{source.id}.{extension}",
        content_type=kind.content_type if kind else "application/octet-stream",
    )
