"""The one image checker: formats read from the bytes, size and pixel limits, decompression
bombs refused, every pixel decoded, EXIF/XMP removed, thumbnails."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from flowline.core.images import (
    CheckedImage,
    ImageRefused,
    check_image,
    read_limited,
    thumbnail_bytes,
)

LIMITS = {"max_bytes": 5_000_000, "max_side": 4000}


def _bytes(width=300, height=200, fmt="PNG", mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), (200, 80, 40, 255)[: len(mode)]).save(out, fmt, **save)
    return out.getvalue()


def _noise(width, height, fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.effect_noise((width, height), 80).convert("RGB").save(out, fmt)
    return out.getvalue()


def _exif(orientation=1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 1.0)}  # GPSInfo: latitude
    return exif


def _refusal(data, **limits) -> ImageRefused:
    with pytest.raises(ImageRefused) as caught:
        check_image(data, **{**LIMITS, **limits})
    return caught.value


@pytest.mark.parametrize(
    ("fmt", "extension", "content_type"),
    [
        ("PNG", "png", "image/png"),
        ("JPEG", "jpg", "image/jpeg"),
        ("WEBP", "webp", "image/webp"),
        ("GIF", "gif", "image/gif"),
    ],
)
def test_accepted_formats_are_named_by_their_bytes_and_kept_byte_for_byte(
    fmt, extension, content_type
):
    # given: a file without metadata
    data = _bytes(fmt=fmt)

    # when
    checked = check_image(data, **LIMITS)

    # then
    assert isinstance(checked, CheckedImage)
    assert (checked.format, checked.extension, checked.content_type) == (
        fmt,
        extension,
        content_type,
    )
    assert (checked.width, checked.height) == (300, 200)
    assert checked.data == data and checked.thumbnail is None


def test_an_upload_is_read_like_bytes():
    upload = SimpleUploadedFile("x.bin", _bytes(fmt="JPEG"), "application/octet-stream")

    assert check_image(upload, **LIMITS).format == "JPEG"


@pytest.mark.parametrize(
    "data",
    [
        b"just some text, not an image at all\n" * 20,
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"GIF89a but not really an image",
        _bytes(400, 400, "PNG")[:200],
        _noise(400, 400, "JPEG")[:3000],
        b"",
    ],
    ids=["text", "svg-with-script", "fake-gif-magic", "truncated-png", "truncated-jpeg", "empty"],
)
def test_what_is_not_a_whole_image_is_unreadable(data):
    refused = _refusal(data)

    assert refused.reason == "unreadable"
    assert refused.message == "not a readable PNG, JPEG, WEBP or GIF image."
    assert (refused.status, refused.code) == (400, "invalid_image")


def test_a_truncated_image_is_refused_when_a_thumbnail_is_made_too():
    refused = _refusal(_noise(400, 400, "JPEG")[:3000], thumbnail_side=100)

    assert refused.reason == "unreadable"


def test_a_readable_format_that_is_not_accepted_is_refused():
    assert _refusal(_bytes(fmt="BMP")).message == "not a PNG, JPEG, WEBP or GIF image."
    refused = _refusal(_bytes(fmt="JPEG"), formats=("PNG",))
    assert (refused.reason, refused.message) == ("wrong_format", "not a PNG image.")


def test_formats_without_a_known_extension_are_a_programming_error():
    with pytest.raises(ValueError):
        check_image(_bytes(), formats=("BMP",), **LIMITS)


def test_sides_are_bounded_before_decoding():
    small = _refusal(_bytes(99, 300), min_side=100)
    large = _refusal(_bytes(3000, 10), max_side=2000)

    assert (small.reason, small.message) == (
        "too_small",
        "99x300 is too small (at least 100x100 pixels).",
    )
    assert (large.reason, large.message) == (
        "too_many_pixels",
        "3000x10 is too large (at most 2000x2000 pixels).",
    )
    assert check_image(_bytes(1, 1), **LIMITS).width == 1  # no lower bound by default


@pytest.mark.parametrize("side", [40, 100], ids=["over-the-limit-warns", "twice-over-raises"])
def test_decompression_bombs_are_refused(monkeypatch, side):
    # given: Pillow's bomb limit lowered so that a small file is one (it warns above the
    # limit and raises above twice the limit: both are refusals)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)

    refused = _refusal(_bytes(side, side))

    assert refused.reason == "unreadable"
    bomb = (Image.DecompressionBombWarning, Image.DecompressionBombError)
    assert isinstance(refused.__cause__, bomb)


def test_bytes_past_the_limit_are_413():
    refused = _refusal(_bytes(), max_bytes=100)

    assert (refused.reason, refused.status, refused.code) == ("too_large", 413, "payload_too_large")
    assert refused.message == "larger than 100 bytes."


def test_an_upload_is_read_no_further_than_one_byte_past_the_limit():
    # given: a stream without a declared size, recording how much was asked for
    class Stream(io.BytesIO):
        asked: list = []

        def read(self, size=-1):
            self.asked.append(size)
            return super().read(size)

    stream = Stream(b"x" * 10_000)

    # when
    with pytest.raises(ImageRefused):
        read_limited(stream, 100)

    # then
    assert stream.asked == [101]


def test_an_upload_declaring_a_size_over_the_limit_is_not_read():
    upload = SimpleUploadedFile("big.png", b"x" * 1000)

    with pytest.raises(ImageRefused) as caught:
        read_limited(upload, 999)

    assert caught.value.reason == "too_large" and upload.tell() == 0


def test_exif_with_gps_is_removed():
    # given
    data = _bytes(1200, 900, "JPEG", exif=_exif())
    assert Image.open(io.BytesIO(data)).getexif().get(0x8825)

    # when
    checked = check_image(data, **LIMITS)

    # then
    stored = Image.open(io.BytesIO(checked.data))
    assert (stored.format, stored.size) == ("JPEG", (1200, 900))
    assert not stored.getexif() and "exif" not in stored.info


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_xmp_is_removed(fmt):
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>serial 1234</rdf:RDF></x:xmpmeta>'
    data = _bytes(fmt=fmt, xmp=xmp) if fmt != "PNG" else _png_with_xmp(xmp)
    assert b"serial 1234" in data

    checked = check_image(data, **LIMITS)

    assert b"serial 1234" not in checked.data
    assert Image.open(io.BytesIO(checked.data)).size == (300, 200)


def _png_with_xmp(xmp: bytes) -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp.decode())
    return _bytes(fmt="PNG", pnginfo=info)


def test_a_rotated_photo_comes_back_upright_without_its_orientation_tag():
    # given: a 1200x900 sensor image tagged "rotate 90° clockwise" (orientation 6)
    data = _bytes(1200, 900, "JPEG", exif=_exif(orientation=6))

    # when
    checked = check_image(data, **LIMITS)

    # then: as the viewer sees it, with no tag left to turn it again
    assert (checked.width, checked.height) == (900, 1200)
    stored = Image.open(io.BytesIO(checked.data))
    assert stored.size == (900, 1200) and not stored.getexif()


def test_a_png_keeps_its_transparency_when_its_metadata_goes():
    data = _bytes(fmt="PNG", mode="RGBA", exif=_exif())

    checked = check_image(data, **LIMITS)

    stored = Image.open(io.BytesIO(checked.data))
    assert stored.mode == "RGBA" and not stored.getexif()


def test_a_thumbnail_is_a_webp_within_the_side_and_upright():
    # given: a rotated photo and a tall transparent PNG
    photo = _bytes(1200, 900, "JPEG", exif=_exif(orientation=6))
    out = io.BytesIO()
    Image.new("RGBA", (300, 900), (200, 80, 40, 100)).save(out, "PNG")
    tall = out.getvalue()

    # when
    checked = check_image(photo, thumbnail_side=400, **LIMITS)
    tall_thumb = Image.open(io.BytesIO(thumbnail_bytes(tall, side=100)))

    # then
    thumb = Image.open(io.BytesIO(checked.thumbnail))
    assert (thumb.format, thumb.size) == ("WEBP", (300, 400))
    assert (tall_thumb.size, tall_thumb.mode) == ((33, 100), "RGBA")
