"""Product images: checked by content with Pillow, stored under generated names, with a
thumbnail each, kept in order with exactly one primary image per product.

The client's filename and Content-Type are never trusted: the format is what Pillow
reads in the bytes (PNG, JPEG, WEBP or GIF; SVG and anything else is refused), the size
and the pixel dimensions are bounded before anything is decoded in full, the stored
name is a random one with the extension of the detected format, and EXIF/XMP metadata
(GPS position, camera serials) is removed before the file is stored.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from PIL import Image, ImageOps, UnidentifiedImageError

from flowline.commerce.models import Product, ProductImage
from flowline.commerce.services.catalogue import delete_files
from flowline.core.errors import ApplicationError

FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
MAX_FILES = 10
THUMBNAIL_SIDE = 400


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_bytes() -> int:
    return _limit("COMMERCE_IMAGE_MAX_BYTES", 10 * 1024 * 1024)


def min_side() -> int:
    return _limit("COMMERCE_IMAGE_MIN_SIDE", 100)


def max_side() -> int:
    return _limit("COMMERCE_IMAGE_MAX_SIDE", 8000)


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed every check, ready to store."""

    data: bytes
    format: str
    width: int
    height: int
    thumbnail: bytes

    @property
    def extension(self) -> str:
        return FORMATS[self.format][0]

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][1]


def _refuse(index: int, message: str, *, code: str = "invalid_image", status: int = 400):
    return ApplicationError(
        f"File {index + 1}: {message}",
        code=code,
        status=status,
        errors={"images": {str(index): [message]}},
    )


def image_check(upload, *, index: int = 0) -> CheckedImage:
    """Read one uploaded file and return it checked, or raise a 400 (413 when too large)
    that names the file by its position in the request."""
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise _refuse(index, f"larger than {limit} bytes.", code="payload_too_large", status=413)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(index, f"larger than {limit} bytes.", code="payload_too_large", status=413)
    with warnings.catch_warnings():
        # Pillow warns, then raises, on decompression bombs: treat the warning as a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                image_format, (width, height) = probe.format, probe.size
                _check_dimensions(index, width, height)
                if image_format not in FORMATS:
                    raise _refuse(index, "not a PNG, JPEG, WEBP or GIF image.")
                probe.verify()
            # verify() does not decode pixels: making the thumbnail does, so a truncated
            # or corrupt file fails here rather than after it was stored.
            thumbnail = thumbnail_bytes(data)
            data, width, height = without_metadata(data, image_format, width, height)
        except ApplicationError:
            raise
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
            OSError,
            SyntaxError,
            ValueError,
        ) as exc:
            raise _refuse(index, "not a readable PNG, JPEG, WEBP or GIF image.") from exc
    return CheckedImage(
        data=data, format=image_format, width=width, height=height, thumbnail=thumbnail
    )


def without_metadata(data: bytes, image_format: str, width: int, height: int):
    """The image without EXIF or XMP (camera serial numbers, GPS position), turned
    upright first so that dropping the orientation tag changes nothing visible. Images
    that carry no metadata are stored byte for byte; JPEGs that need no turning keep their
    quantisation tables (no second lossy pass). Returns (data, width, height)."""
    with Image.open(io.BytesIO(data)) as source:
        exif = source.getexif()
        if not (exif or source.info.get("exif") or _xmp(source.info)):
            return data, width, height
        if getattr(source, "is_animated", False):
            return data, width, height  # GIF has no EXIF; re-encoding animations is lossy
        upright = ImageOps.exif_transpose(source)
        turned = upright.size != source.size or exif.get(0x0112, 1) != 1
        options: dict = {"icc_profile": source.info.get("icc_profile")}
        if image_format == "JPEG":
            picture, options["quality"] = (upright, 92) if turned else (source, "keep")
        elif image_format == "PNG":
            picture = upright
            if "transparency" in source.info:
                options["transparency"] = source.info["transparency"]
        else:
            picture, options["quality"] = upright, 90
        out = io.BytesIO()
        picture.save(out, format=image_format, **{k: v for k, v in options.items() if v})
    return out.getvalue(), picture.width, picture.height


def _xmp(info: dict) -> bool:
    return any(key in info for key in ("xmp", "XML:com.adobe.xmp"))


def _check_dimensions(index: int, width: int, height: int) -> None:
    low, high = min_side(), max_side()
    if width < low or height < low:
        raise _refuse(index, f"{width}x{height} is too small (at least {low}x{low} pixels).")
    if width > high or height > high:
        raise _refuse(index, f"{width}x{height} is too large (at most {high}x{high} pixels).")


def thumbnail_bytes(data: bytes) -> bytes:
    """A WEBP at most THUMBNAIL_SIDE pixels on its longer side, upright per EXIF."""
    with Image.open(io.BytesIO(data)) as source:
        source.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))  # JPEG: decode at lower scale
        picture = ImageOps.exif_transpose(source)
        picture = picture.convert("RGBA" if _has_alpha(picture) else "RGB")
        picture.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        picture.save(out, format="WEBP", quality=82, method=4)
    return out.getvalue()


def _has_alpha(picture: Image.Image) -> bool:
    return picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    )


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
