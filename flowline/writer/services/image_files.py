"""Image files of articles: uploads and generated pictures alike are checked by their
bytes (`flowline.core.images`; the provider's answer is as untrusted as an upload): a PNG,
JPEG, WEBP or GIF within the size and pixel limits, without EXIF/XMP, stored under
`writer/<account>/<content>/<random>.<ext>` so nothing of the client's file name reaches
storage. Replaced or deleted files go once the change commits.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from flowline.core.errors import ApplicationError
from flowline.core.images import CheckedImage, ImageRefused, check_image
from flowline.writer.models import Content, Image

logger = logging.getLogger("flowline.writer")

UNREADABLE = "Not a readable PNG, JPEG, WEBP or GIF image."


def _setting(name: str, default):
    return getattr(settings, name, default)


def picture_check(data_or_upload, *, field: str = "file") -> CheckedImage:
    """`data_or_upload` (bytes, or an uploaded file read no further than the size limit)
    as a checked picture, or a 400 `invalid_image` (413 when too large). Generated images
    may be small: there is no lower bound on their sides."""
    limit = int(_setting("WRITER_IMAGE_MAX_BYTES", 10 * 1024 * 1024))
    try:
        return check_image(
            data_or_upload,
            max_bytes=limit,
            max_side=int(_setting("WRITER_IMAGE_MAX_SIDE", 8000)),
        )
    except ImageRefused as refused:
        if refused.reason == "too_large":
            raise ApplicationError(
                f"The image is larger than {limit} bytes.",
                code=refused.code,
                status=refused.status,
                errors={field: [f"Larger than {limit} bytes."]},
            ) from refused
        raise ApplicationError(
            UNREADABLE, code="invalid_image", errors={field: [UNREADABLE]}
        ) from refused


def upload_check(upload) -> CheckedImage:
    """An uploaded file, read no further than the size limit, checked by its bytes."""
    return picture_check(upload)


def _store(image: Image, picture: CheckedImage) -> str:
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


def attach(image: Image, picture: CheckedImage, *, generation: dict | None = None) -> Image:
    """Store `picture` as the image's file (the old file goes once this commits)."""
    old = image.file.name if image.file else ""
    name = _store(image, picture)
    try:
        with transaction.atomic():
            image.file = name
            image.width, image.height = picture.width, picture.height
            image.size_bytes, image.mime_type = len(picture.data), picture.content_type
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
    taken = Image.objects.filter(content_id=image.content_id, image_type=Image.Kind.FEATURED)
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
