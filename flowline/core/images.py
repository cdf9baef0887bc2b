"""Image files checked by their bytes with Pillow: the one checker every app uses, each
with its own limits.

The client's filename and Content-Type are never trusted (nor an AI provider's answer):
the format is what Pillow reads in the bytes (PNG, JPEG, WEBP or GIF by default; SVG and
anything else is refused), the size and the pixel dimensions are bounded before anything
is decoded in full, a decompression bomb is refused, every pixel is decoded once so a
truncated or corrupt file fails here rather than after it was stored, and EXIF/XMP
metadata (GPS position, camera serials) is removed.

Refusals are `ImageRefused` with a `reason`; each app turns them into its own error
shape and words.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
THUMBNAIL_SIDE = 400

# What Pillow raises on bytes that are not a whole, readable image of a format it knows.
_UNREADABLE = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
    OSError,
    SyntaxError,
    ValueError,
)


class InputRefused(Exception):
    """Why uploaded bytes are not accepted: a `reason` word and a lower-case `message`
    sentence an app may put after its own prefix. Too large answers 413, anything else
    400; `codes` names the envelope's code per reason (else `default_code`)."""

    codes: dict[str, str] = {"too_large": "payload_too_large"}
    default_code = "invalid_input"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    @property
    def status(self) -> int:
        return 413 if self.reason == "too_large" else 400

    @property
    def code(self) -> str:
        return self.codes.get(self.reason, self.default_code)


class ImageRefused(InputRefused):
    """Why the bytes are not an acceptable image.

    `reason` is one of `too_large` (bytes over `max_bytes`: answer 413), `too_small` or
    `too_many_pixels` (a side outside the limits), `wrong_format` (readable, but not one of
    the accepted formats), `unreadable` (not an image, truncated, or a decompression bomb)."""

    default_code = "invalid_image"


@dataclass(frozen=True)
class CheckedImage:
    """Image bytes that passed every check, without metadata, ready to store."""

    data: bytes
    format: str
    width: int
    height: int
    thumbnail: bytes | None = None

    @property
    def extension(self) -> str:
        return FORMATS[self.format][0]

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][1]


def _format_names(formats) -> str:
    names = list(formats)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def read_limited(data_or_upload, max_bytes: int) -> bytes:
    """The bytes of `data_or_upload` (bytes or an uploaded file), read no further than
    one byte past `max_bytes`; `ImageRefused("too_large")` past the limit."""
    too_large = ImageRefused("too_large", f"larger than {max_bytes} bytes.")
    if isinstance(data_or_upload, (bytes, bytearray, memoryview)):
        data = bytes(data_or_upload)
    else:
        size = getattr(data_or_upload, "size", None)
        if size is not None and size > max_bytes:
            raise too_large
        data = data_or_upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    return data


def check_image(
    data_or_upload,
    *,
    max_bytes: int,
    max_side: int,
    min_side: int = 1,
    formats: tuple[str, ...] | None = None,
    thumbnail_side: int | None = None,
) -> CheckedImage:
    """`data_or_upload` (bytes or an uploaded file) checked by content and stripped of
    EXIF/XMP, or `ImageRefused`. With `thumbnail_side`, the result carries a WEBP
    thumbnail (see `thumbnail_bytes`), which is then also the full-decode check."""
    accepted = tuple(formats or FORMATS)
    unknown = set(accepted) - set(FORMATS)
    if unknown:
        raise ValueError(f"No extension known for {sorted(unknown)}")
    names = _format_names(accepted)
    data = read_limited(data_or_upload, max_bytes)
    with warnings.catch_warnings():
        # Pillow warns, then raises, on decompression bombs: treat the warning as a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                image_format, (width, height) = probe.format, probe.size
                _check_dimensions(width, height, min_side=min_side, max_side=max_side)
                if image_format not in accepted:
                    raise ImageRefused("wrong_format", f"not a {names} image.")
                probe.verify()
            # verify() decodes no pixels: decoding them here makes a truncated or corrupt
            # file fail before it is stored (the thumbnail, when wanted, is that decode).
            if thumbnail_side:
                thumbnail = thumbnail_bytes(data, side=thumbnail_side)
            else:
                thumbnail = None
                with Image.open(io.BytesIO(data)) as decoded:
                    decoded.load()
            data, width, height = without_metadata(data, image_format, width, height)
        except ImageRefused:
            raise
        except _UNREADABLE as exc:
            raise ImageRefused("unreadable", f"not a readable {names} image.") from exc
    return CheckedImage(data, image_format, width, height, thumbnail)


def _check_dimensions(width: int, height: int, *, min_side: int, max_side: int) -> None:
    if width < min_side or height < min_side:
        raise ImageRefused(
            "too_small",
            f"{width}x{height} is too small (at least {min_side}x{min_side} pixels).",
        )
    if width > max_side or height > max_side:
        raise ImageRefused(
            "too_many_pixels",
            f"{width}x{height} is too large (at most {max_side}x{max_side} pixels).",
        )


def without_metadata(data: bytes, image_format: str, width: int, height: int):
    """The image without EXIF or XMP (camera serial numbers, GPS position), turned
    upright first so that dropping the orientation tag changes nothing visible. Images
    that carry no metadata are kept byte for byte; JPEGs that need no turning keep their
    quantisation tables (no second lossy pass). Returns (data, width, height)."""
    with Image.open(io.BytesIO(data)) as source:
        exif = source.getexif()
        if not (exif or source.info.get("exif") or _has_xmp(source.info)):
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


def _has_xmp(info: dict) -> bool:
    return any(key in info for key in ("xmp", "XML:com.adobe.xmp"))


def thumbnail_bytes(data: bytes, *, side: int = THUMBNAIL_SIDE) -> bytes:
    """A WEBP at most `side` pixels on its longer side, upright per EXIF."""
    with Image.open(io.BytesIO(data)) as source:
        source.draft("RGB", (side, side))  # JPEG: decode at a lower scale
        picture = ImageOps.exif_transpose(source)
        picture = picture.convert("RGBA" if _has_alpha(picture) else "RGB")
        picture.thumbnail((side, side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        picture.save(out, format="WEBP", quality=82, method=4)
    return out.getvalue()


def _has_alpha(picture: Image.Image) -> bool:
    return picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    )
