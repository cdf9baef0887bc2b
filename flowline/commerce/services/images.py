"""Product images: checked by content (`flowline.core.images`: format read from the bytes,
size and pixel limits, decompression bombs refused, EXIF/XMP removed), stored under
generated names with a thumbnail each, kept in order with exactly one primary image per
product. Errors name the file by its position in the request.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from flowline.commerce.models import Product, ProductImage
from flowline.commerce.services.catalogue import delete_files
from flowline.core.errors import ApplicationError
from flowline.core.images import THUMBNAIL_SIDE, CheckedImage, ImageRefused, check_image

MAX_FILES = 10


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_bytes() -> int:
    return _limit("COMMERCE_IMAGE_MAX_BYTES", 10 * 1024 * 1024)


def min_side() -> int:
    return _limit("COMMERCE_IMAGE_MIN_SIDE", 100)


def max_side() -> int:
    return _limit("COMMERCE_IMAGE_MAX_SIDE", 8000)


def image_check(upload, *, index: int = 0) -> CheckedImage:
    """Read one uploaded file and return it checked, with its thumbnail, or raise a 400
    (413 when too large) that names the file by its position in the request."""
    try:
        return check_image(
            upload,
            max_bytes=max_bytes(),
            min_side=min_side(),
            max_side=max_side(),
            thumbnail_side=THUMBNAIL_SIDE,
        )
    except ImageRefused as refused:
        raise ApplicationError(
            f"File {index + 1}: {refused.message}",
            code=refused.code,
            status=refused.status,
            errors={"images": {str(index): [refused.message]}},
        ) from refused


def _stored_name(product: Product, extension: str, suffix: str = "") -> str:
    """`products/<account>/<product>/<random><suffix>.<ext>`: nothing from the client."""
    token = uuid.uuid4().hex
    return f"products/{product.account_id}/{product.id}/{token}{suffix}.{extension}"


def images_upload(
    *, product: Product, uploads: list, alt_texts: list[str] | None = None
) -> list[ProductImage]:
    """Check every file first (one bad file stores none), then store them after the
    product's existing images; the first image a product gets becomes its primary one."""
    if not uploads:
        raise ApplicationError(
            "Send at least one file in `images`.", errors={"images": ["Required."]}
        )
    if len(uploads) > MAX_FILES:
        raise ApplicationError(
            f"At most {MAX_FILES} files at once.", errors={"images": [f"At most {MAX_FILES}."]}
        )
    checked = [image_check(upload, index=i) for i, upload in enumerate(uploads)]
    alt_texts = alt_texts or []
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _store(product, checked, alt_texts, stored)
    except BaseException:
        delete_files(stored)
        raise


def _store(product, checked, alt_texts, stored) -> list[ProductImage]:
    Product.objects.select_for_update().filter(id=product.id).first()  # serialise positions
    existing = ProductImage.objects.filter(product=product)
    position = (existing.aggregate(top=Max("position"))["top"] or 0) + 1 if existing.exists() else 0
    needs_primary = not existing.filter(is_primary=True).exists()
    created = []
    for i, image in enumerate(checked):
        name = default_storage.save(_stored_name(product, image.extension), ContentFile(image.data))
        stored.append(name)
        thumb = default_storage.save(
            _stored_name(product, "webp", "_thumb"), ContentFile(image.thumbnail)
        )
        stored.append(thumb)
        created.append(
            ProductImage.objects.create(
                account_id=product.account_id,
                product=product,
                image=name,
                thumbnail=thumb,
                alt_text=(alt_texts[i] if i < len(alt_texts) else "")[:255],
                position=position + i,
                is_primary=needs_primary and i == 0,
                width=image.width,
                height=image.height,
                size_bytes=len(image.data),
                content_type=image.content_type,
            )
        )
    return created


@transaction.atomic
def image_set_primary(*, image: ProductImage) -> ProductImage:
    """Make `image` its product's only primary image."""
    ProductImage.objects.filter(product_id=image.product_id, is_primary=True).exclude(
        id=image.id
    ).update(is_primary=False)
    if not image.is_primary:
        image.is_primary = True
        image.save(update_fields=["is_primary"])
    return image


@transaction.atomic
def images_reorder(*, product: Product, image_ids: list[int]) -> list[ProductImage]:
    """Put the product's images in the order of `image_ids`, which must name each of them
    exactly once."""
    images = {
        row.id: row for row in ProductImage.objects.select_for_update().filter(product=product)
    }
    if sorted(image_ids) != sorted(images) or len(set(image_ids)) != len(image_ids):
        raise ApplicationError(
            "List every image of the product exactly once.",
            errors={"ids": [f"Expected the ids {sorted(images)} in the new order."]},
        )
    for position, image_id in enumerate(image_ids):
        images[image_id].position = position
    ProductImage.objects.bulk_update(images.values(), ["position"])
    return [images[image_id] for image_id in image_ids]


@transaction.atomic
def image_delete(*, image: ProductImage) -> None:
    """Delete an image (its files once committed); the next one becomes primary if it was."""
    names = [image.image.name, image.thumbnail.name]
    product_id, was_primary = image.product_id, image.is_primary
    image.delete()
    if was_primary:
        successor = ProductImage.objects.filter(product_id=product_id).first()
        if successor is not None:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])
    transaction.on_commit(lambda: delete_files(names))
