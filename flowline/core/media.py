"""Public media: the only files served from `MEDIA_URL`, and how they are served.

Public media holds pictures meant to be shown to people or fetched by other services:
product images and thumbnails (storefronts, social platforms fetch them by URL),
article images (shown in the editor, sent to WordPress), avatars, site logos, test
images of an AI image provider. Each one is checked by its bytes (`core.images`: PNG,
JPEG, WEBP or GIF, bounded, without EXIF/XMP) and stored under a random name with the
extension of the format found, so its Content-Type is an image type, never HTML or SVG.
Everything else is private (`core.private_files`).

`serve()` is the `MEDIA_URL` view used when Django serves media itself (`DEBUG`,
`FLOWLINE_SERVE_MEDIA`): only those image extensions, with `nosniff` and a sandboxing
CSP, as the deployment guide's nginx location does.
"""

from __future__ import annotations

import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.views import static
from rest_framework import serializers

from flowline.core.images import FORMATS, CheckedImage, ImageRefused, check_image

logger = logging.getLogger("flowline.files")

EXTENSIONS = {extension for extension, _ in FORMATS.values()} | {"jpeg"}
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def store_image(image: CheckedImage, *, folder: str) -> str:
    """Save a checked image publicly as `<folder>/<random>.<ext>`; the storage name."""
    name = f"{folder.strip('/')}/{uuid.uuid4().hex}.{image.extension}"
    return default_storage.save(name, ContentFile(image.data))


def delete(names) -> None:
    """Remove public files now, ignoring ones already gone."""
    for name in names:
        if name:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("Could not delete %s", name, exc_info=True)


def delete_on_commit(names) -> None:
    """Remove public files once the current transaction commits."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: delete(names))


class PublicImageField(serializers.FileField):
    """In: an uploaded picture, checked by its bytes, as a `CheckedImage` (a 400 on the
    field when it is not an acceptable image). Out: its public URL."""

    def __init__(self, *, max_bytes: int, max_side: int = 4000, **kwargs) -> None:
        self.max_bytes = max_bytes
        self.max_side = max_side
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        upload = super().to_internal_value(data)
        try:
            return check_image(upload, max_bytes=self.max_bytes, max_side=self.max_side)
        except ImageRefused as refused:
            message = refused.message[:1].upper() + refused.message[1:]
            raise serializers.ValidationError(message, code=refused.code) from refused

    def to_representation(self, value):
        if not value:
            return None
        url = value.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


def serve(request, path: str, document_root=None):
    """`django.views.static.serve` for public images only, with `HEADERS`."""
    extension = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if extension not in EXTENSIONS:
        raise Http404("Not a public image.")
    response = static.serve(request, path, document_root=document_root)
    for header, value in HEADERS.items():
        response[header] = value
    return response
