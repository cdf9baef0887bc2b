"""The whole account as one archive, built by a job (`POST account/export/`).

The archive (ZIP) holds `account.json` (the account and its members' public profiles),
one `data/<app>/<model>.json` per account-owned model -- every row of every
`TenantModel`, so a new app is exported without code of its own -- and `files/...`, the
account's private uploads. Secrets never leave: encrypted fields and fields whose name
says password, secret, token, hash or key are left out of every row.

An archive is kept `FLOWLINE_ACCOUNT_EXPORT_DAYS` after its job finished: then the
download answers 410 `expired`, and beat's `identity.sweep_account_exports` deletes the
file and the job.
"""

from __future__ import annotations

import logging
import re
import tempfile
import zipfile
from collections.abc import Callable
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from flowline.core import private_files
from flowline.core.envelope import dumps
from flowline.core.errors import ApplicationError, ConflictError, NotFoundError
from flowline.core.fields import EncryptedTextField
from flowline.core.tenancy import is_tenant_model
from flowline.identity.models import Account, Membership

KIND = "identity.account_export"
SWEEP_BATCH = 200

logger = logging.getLogger("flowline.identity")


def kept_for() -> timedelta:
    """How long a finished export's archive is kept."""
    return timedelta(days=settings.FLOWLINE_ACCOUNT_EXPORT_DAYS)


_SECRET_NAME = re.compile(r"password|secret|token|hash|api_key|private_key|access_key", re.I)
_CHUNK = 500


def _exported_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if not isinstance(field, EncryptedTextField) and not _SECRET_NAME.search(field.name)
    ]


def _value(field: models.Field, obj, files: list[str]):
    value = field.value_from_object(obj)
    if isinstance(value, FieldFile):
        if value.name and value.storage is private_files.private_storage():
            files.append(value.name)
        return value.name or None
    return value


def _write_model(archive: zipfile.ZipFile, model, account_id: int, files: list[str]) -> int:
    """Stream the account's rows of `model` into the archive as a JSON array."""
    fields = _exported_fields(model)
    meta = model._meta
    count = 0
    with archive.open(f"data/{meta.app_label}/{meta.model_name}.json", "w") as out:
        out.write(b"[")
        rows = model.unscoped.filter(account_id=account_id).order_by("pk")
        for obj in rows.iterator(chunk_size=_CHUNK):
            row = {field.attname: _value(field, obj, files) for field in fields}
            out.write((b"," if count else b"") + dumps(row))
            count += 1
        out.write(b"]")
    return count


def _account_document(account_id: int) -> dict:
    account = Account.objects.get(id=account_id)
    members = Membership.unscoped.filter(account_id=account_id).select_related("user")
    return {
        "exported_at": timezone.now(),
        "account": {
            field.attname: field.value_from_object(account) for field in _exported_fields(Account)
        },
        "members": [
            {
                "user_id": row.user_id,
                "email": row.user.email,
                "first_name": row.user.first_name,
                "last_name": row.user.last_name,
                "role": row.role,
                "is_active": row.is_active,
                "all_sites": row.all_sites,
            }
            for row in members
        ],
    }


def account_export_build(
    *, account_id: int, progress: Callable[[int, str], None] = lambda pct, msg: None
) -> dict:
    """Write the archive to private storage; what it holds, for the job's result."""
    tenant_models = sorted(
        (m for m in apps.get_models() if is_tenant_model(m)), key=lambda m: m._meta.label
    )
    files: list[str] = []
    rows = 0
    storage = private_files.private_storage()
    with tempfile.TemporaryFile() as buffer:
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("account.json", dumps(_account_document(account_id)))
            for index, model in enumerate(tenant_models):
                progress(5 + 75 * index // len(tenant_models), model._meta.label)
                rows += _write_model(archive, model, account_id, files)
            for index, name in enumerate(files):
                progress(80 + 15 * index // max(1, len(files)), "files")
                if storage.exists(name):
                    with (
                        storage.open(name, "rb") as handle,
                        archive.open(f"files/{name}", "w") as out,
                    ):
                        for chunk in iter(lambda h=handle: h.read(1 << 20), b""):
                            out.write(chunk)
        size = buffer.tell()
        buffer.seek(0)
        name = storage.save(
            private_files.random_name(f"account-exports/{account_id}", "zip"), File(buffer)
        )
    return {
        "archive": name,
        "expires_at": (timezone.now() + kept_for()).isoformat(),
        "filename": f"flowline-account-{account_id}-{timezone.now():%Y%m%d-%H%M%S}.zip",
        "size": size,
        "models": len(tenant_models),
        "rows": rows,
        "files": len(files),
    }


def account_export_start(*, account_id: int, user_id: int, idempotency_key: str | None = None):
    """Queue the export job (followed like any job: `jobs/{id}/`, `task_update`)."""
    from flowline.jobs.public import job_start

    return job_start(
        kind=KIND,
        account_id=account_id,
        user_id=user_id,
        payload={"filename": f"flowline-account-{account_id}.zip"},
        idempotency_key=idempotency_key,
    )


def account_export_archive(*, task_id) -> tuple[str, str]:
    """(storage name, file name) of a finished export of the active account; 404 for
    an unknown, foreign or other kind of job, 409 while it is not done, 410 once expired."""
    from flowline.jobs.public import JobStatus, job_find

    job = job_find(task_id, kind_prefix=KIND)
    if job is None or job.kind != KIND:
        raise NotFoundError("No such export.")
    if job.status != JobStatus.COMPLETED or not (job.result or {}).get("archive"):
        raise ConflictError(f"The export is {job.status}, not ready to download.", code="not_ready")
    if job.finished_at and job.finished_at + kept_for() <= timezone.now():
        raise ApplicationError(
            "The export has expired; start a new one.", code="expired", status=410
        )
    return job.result["archive"], job.result["filename"]


def account_exports_sweep(*, now=None) -> int:
    """Delete the archives of exports that finished more than `kept_for()` ago, then
    their jobs (a batch per call; beat calls again). A file that cannot be deleted keeps
    its job, so the next sweep tries again. Returns how many exports were removed."""
    from flowline.jobs.public import jobs_delete, jobs_finished_before

    cutoff = (now or timezone.now()) - kept_for()
    storage = private_files.private_storage()
    removed = []
    for job_id, result in jobs_finished_before(job_kind=KIND, cutoff=cutoff, limit=SWEEP_BATCH):
        archive = (result or {}).get("archive")
        try:
            if archive and storage.exists(archive):
                storage.delete(archive)
        except OSError:
            logger.exception("Could not delete the expired export archive %s", archive)
            continue
        removed.append(job_id)
    jobs_delete(removed)
    return len(removed)
