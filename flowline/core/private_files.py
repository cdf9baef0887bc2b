"""Private files: stored where no public URL reaches them, handed out only by authorised
views, always as a download.

The public media folder (`MEDIA_ROOT`, served at `MEDIA_URL` by the proxy) holds only
images checked by `core.images` and meant to be shown (product pictures, avatars,
logos, article images). Everything else a user uploads or Flowline generates for one
account (agent data sources, exports, invoices) is private:

- stored in the `private` storage (`FLOWLINE_PRIVATE_MEDIA_ROOT`, outside `MEDIA_ROOT`;
  its `url()` refuses, so no serializer can leak a public link by accident);
- under a random name (`<folder>/<uuid4>.<ext>`): nothing of the client's file name
  reaches the disk;
- served by a view of the owning app that finds the row through its tenant-scoped
  queryset (another account's file is a 404), with `download()` or `attachment()`:
  `Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`, a Content-Type
  from an allow-list (anything else is `application/octet-stream`), a sandboxing CSP and
  no caching by shared caches.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from rest_framework import serializers

logger = logging.getLogger("flowline.files")

PRIVATE = "private"  # the STORAGES alias
# Types that browsers never run as a page, even when opened directly.
SAFE_TYPES = {
    "application/json",
    "application/octet-stream",
    "application/pdf",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "image/gif",
    "image/jpeg",
    "image/png",
    "image/webp",
    "text/csv",
    "text/markdown",
    "text/plain",
}
_EXTENSION = re.compile(r"^[a-z0-9]{1,10}$")
_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
}


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder outside the public media root; its files have no URL."""

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through an authorised view.")


def private_storage() -> Storage:
    """The private storage (a callable for `FileField(storage=...)`)."""
    return storages[PRIVATE]


def random_name(folder: str, extension: str) -> str:
    """`<folder>/<uuid4 hex>.<extension>`: nothing of a client's file name in it."""
    extension = extension.rsplit(".", 1)[-1].lower()
    if not _EXTENSION.match(extension):
        extension = "bin"
    return f"{folder.strip('/')}/{uuid.uuid4().hex}.{extension}"


def store(data: bytes, *, folder: str, extension: str) -> str:
    """Save `data` privately under `random_name(folder, extension)`; the storage name."""
    return private_storage().save(random_name(folder, extension), ContentFile(data))


def delete(names: Iterable[str]) -> None:
    """Remove stored private files now, ignoring ones already gone."""
    storage = private_storage()
    for name in names:
        if name:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("Could not delete private file %s", name, exc_info=True)


def delete_on_commit(names: Iterable[str]) -> None:
    """Remove the files once the current transaction commits (never if it rolls back)."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: delete(names))


def _safe_type(content_type: str) -> str:
    base = (content_type or "").split(";", 1)[0].strip().lower()
    if base not in SAFE_TYPES:
        return "application/octet-stream"
    return f"{base}; charset=utf-8" if base.startswith("text/") else base


def _secured(response):
    for header, value in _HEADERS.items():
        response[header] = value
    return response


def download(name: str, *, filename: str, content_type: str) -> FileResponse:
    """The private file `name` as an attachment called `filename`."""
    handle = private_storage().open(name, "rb")
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=_safe_type(content_type)
    )
    return _secured(response)


def attachment(content, *, filename: str, content_type: str):
    """Generated content (bytes, str, or an iterator of them for streaming) as an
    attachment called `filename`, with the same headers as `download()`."""
    safe_type = _safe_type(content_type)
    response: HttpResponse | StreamingHttpResponse
    if isinstance(content, (bytes, str)):
        response = HttpResponse(content, content_type=safe_type)
    else:
        response = StreamingHttpResponse(content, content_type=safe_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return _secured(response)


class PrivateFileField(serializers.FileField):
    """A serializer field for a private file: in, an uploaded file; out, the URL of the
    authorised view `download_view` (a detail route taking `pk`) that serves it, never
    a storage URL. None when there is no file."""

    def __init__(self, *, download_view: str, **kwargs) -> None:
        self.download_view = download_view
        super().__init__(**kwargs)

    def to_representation(self, value):
        if not value:
            return None
        url = reverse(self.download_view, kwargs={"pk": value.instance.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
