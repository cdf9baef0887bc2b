"""Image files of articles: uploads and generated pictures alike are checked by their
bytes with Pillow (the provider's answer is as untrusted as an upload): a PNG, JPEG, WEBP
or GIF within the size and pixel limits, stored under
`writer/<account>/<content>/<random>.<ext>` so nothing of the client's file name reaches
storage. Replaced or deleted files go once the change commits.
"""

from __future__ import annotations

import io
import logging
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image as Pillow
from PIL import UnidentifiedImageError

from flowline.core.errors import ApplicationError
from flowline.writer.models import Content, Image

logger = logging.getLogger("flowline.writer")

FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}


def _setting(name: str, default):
    return getattr(settings, name, default)


@dataclass(frozen=True)
class Picture:
    """Image bytes that passed the checks."""

    data: bytes
    extension: str
    mime_type: str
    width: int
    height: int


def picture_check(data: bytes, *, field: str = "file") -> Picture:
    """`data` as a checked picture, or a 400 `invalid_image` (413 when too large)."""
    limit = int(_setting("WRITER_IMAGE_MAX_BYTES", 10 * 1024 * 1024))
    if len(data) > limit:
        raise ApplicationError(
            f"The image is larger than {limit} bytes.",
            code="payload_too_large",
            status=413,
            errors={field: [f"Larger than {limit} bytes."]},
        )
    max_side = int(_setting("WRITER_IMAGE_MAX_SIDE", 8000))
    refusal = ApplicationError(
        "Not a readable PNG, JPEG, WEBP or GIF image.",
        code="invalid_image",
        errors={field: ["Not a readable PNG, JPEG, WEBP or GIF image."]},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Pillow.DecompressionBombWarning)
        try:
            with Pillow.open(io.BytesIO(data)) as probe:
                image_format, (width, height) = probe.format, probe.size
                if image_format not in FORMATS or max(width, height) > max_side:
                    raise refusal
                probe.verify()
            with Pillow.open(io.BytesIO(data)) as decoded:
                decoded.load()  # verify() reads no pixels: a truncated file fails here
        except ApplicationError:
            raise
        except (
            UnidentifiedImageError,
            Pillow.DecompressionBombError,
            Pillow.DecompressionBombWarning,
            OSError,
            SyntaxError,
            ValueError,
        ) as exc:
            raise refusal from exc
    extension, mime_type = FORMATS[image_format]
    return Picture(data, extension, mime_type, width, height)


def upload_check(upload) -> Picture:
    """An uploaded file, read no further than the size limit, checked by its bytes."""
    limit = int(_setting("WRITER_IMAGE_MAX_BYTES", 10 * 1024 * 1024))
    return picture_check(upload.read(limit + 1))


def _store(image: Image, picture: Picture) -> str:
    name = f"writer/{image.account_id}/{image.content_id}/{uuid.uuid4().hex}.{picture.extension}"
    return default_storage.save(name, ContentFile(picture.data))


def delete_files(names: list[str]) -> None:
    """Remove stored files, ignoring ones already gone."""
    for name in names:
        if name:
            try:
                default_storage.delete(name)
            except OSError:  # a missing file is already what we want
                logger.warning("Could not delete %s", name, exc_info=True)


def attach(image: Image, picture: Picture, *, generation: dict | None = None) -> Image:
    """Store `picture` as the image's file (the old file goes once this commits)."""
    old = image.file.name if image.file else ""
    name = _store(image, picture)
    try:
        with transaction.atomic():
            image.file = name
            image.width, image.height = picture.width, picture.height
            image.size_bytes, image.mime_type = len(picture.data), picture.mime_type
            image.status, image.error = Image.Status.COMPLETED, ""
            if generation is not None:
                image.generation = generation
            image.save()
            transaction.on_commit(lambda: delete_files([old]))
    except BaseException:
        delete_files([name])
        raise
    return image


# --- uploads and edits -----------------------------------------------------------------


def placement(content: Content) -> dict:
    return {"site_id": content.site_id, "sector_id": content.sector_id, "task_id": content.task_id}


def image_create(*, content: Content, upload=None, **fields) -> Image:
    """A new image of `content`: a prompt to generate later, or an uploaded file."""
    image = Image(account_id=content.account_id, content=content, **placement(content), **fields)
    picture = upload_check(upload) if upload is not None else None
    _check_featured(image)
    if picture is None:
        image.save()
        return image
    return attach(image, picture)


def image_update(*, image: Image, upload=None, **fields) -> Image:
    """Edit an image; a new `upload` replaces its file, moving it follows its content."""
    content = fields.get("content")
    if content is not None and content.id != image.content_id:
        for name, value in placement(content).items():
            setattr(image, name, value)
    for name, value in fields.items():
        setattr(image, name, value)
    _check_featured(image)
    if upload is not None:
        return attach(image, upload_check(upload))
    image.save()
    return image


def _check_featured(image: Image) -> None:
    if image.image_type != Image.Kind.FEATURED:
        return
    taken = Image.unscoped.filter(content_id=image.content_id, image_type=Image.Kind.FEATURED)
    if taken.exclude(id=image.id).exists():
        raise ApplicationError(
            "This content already has a featured image.",
            code="duplicate",
            errors={"image_type": ["This content already has a featured image."]},
        )


def image_delete(*, image: Image) -> None:
    """Delete an image; its file goes once this commits."""
    name = image.file.name if image.file else ""
    image.delete()
    transaction.on_commit(lambda: delete_files([name]))
