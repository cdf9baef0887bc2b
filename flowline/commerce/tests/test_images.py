"""`products/{id}/upload-images/` and image management: content checks, safe names,
thumbnails, order and one primary image."""

import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from flowline.commerce.models import ProductImage
from flowline.commerce.tests import imaging
from flowline.commerce.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _upload(member, product, *files, **extra):
    return member.client.post(
        f"/api/v1/products/{product.id}/upload-images/",
        {"images": list(files), **extra},
        format="multipart",
    )


@pytest.fixture
def product(owner):
    return ProductFactory(account=owner.account)


def test_png_and_jpeg_are_stored_with_thumbnails_and_the_first_is_primary(owner, product):
    # when
    response = _upload(owner, product, imaging.png(), imaging.jpeg(), alt_text=["Front", "Side"])

    # then
    assert response.status_code == 201, response.content
    rows = response.json()["data"]
    assert [(r["content_type"], r["width"], r["height"]) for r in rows] == [
        ("image/png", 800, 600),
        ("image/jpeg", 1200, 900),
    ]
    assert [(r["position"], r["is_primary"], r["alt_text"]) for r in rows] == [
        (0, True, "Front"),
        (1, False, "Side"),
    ]
    for row, expected in zip(rows, [(400, 300), (400, 300)], strict=True):
        image = ProductImage.unscoped.get(id=row["id"])
        assert row["url"].endswith(image.image.name)
        with default_storage.open(image.thumbnail.name) as thumb, Image.open(thumb) as picture:
            assert (picture.format, picture.size) == ("WEBP", expected)
        assert image.size_bytes == default_storage.size(image.image.name)
    detail = owner.client.get(f"/api/v1/products/{product.id}/").json()["data"]
    assert detail["primary_image"]["id"] == rows[0]["id"]
    assert [img["id"] for img in detail["images"]] == [rows[0]["id"], rows[1]["id"]]


def test_a_tall_image_gets_a_thumbnail_400_pixels_high(owner, product):
    # when
    response = _upload(owner, product, imaging.png(width=300, height=1200))

    # then
    image = ProductImage.unscoped.get(id=response.json()["data"][0]["id"])
    with default_storage.open(image.thumbnail.name) as thumb, Image.open(thumb) as picture:
        assert picture.size == (100, 400)


def test_the_clients_file_name_is_never_used(owner, product, media_root):
    # when
    response = _upload(owner, product, imaging.png(name="../../etc/passwd.png"))

    # then
    assert response.status_code == 201
    image = ProductImage.unscoped.get(id=response.json()["data"][0]["id"])
    assert "passwd" not in image.image.name and ".." not in image.image.name
    assert image.image.name.startswith(f"products/{owner.account_id}/{product.id}/")
    stored = Path(default_storage.path(image.image.name)).resolve()
    assert stored.is_relative_to(Path(media_root).resolve())
    assert not (Path(media_root).parent / "etc").exists()


def test_extension_follows_the_content_not_the_name(owner, product):
    # when: a JPEG named .png
    data = imaging.image_bytes(300, 300, "JPEG")
    response = _upload(owner, product, imaging.upload("looks.png", data, "image/png"))

    # then
    row = response.json()["data"][0]
    assert row["content_type"] == "image/jpeg" and row["url"].endswith(".jpg")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.png", b"just some text, not an image at all\n" * 20),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">'
            b"<script>alert(document.cookie)</script><rect width='200' height='200'/></svg>",
        ),
        ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("shot.bmp", imaging.image_bytes(200, 200, "BMP")),
        ("cut.png", imaging.image_bytes(400, 400, "PNG", noise=True)[:3000]),
    ],
    ids=["text-renamed-png", "svg-with-script", "svg-renamed-png", "bmp", "truncated-png"],
)
def test_files_that_are_not_accepted_images_are_refused(owner, product, name, data):
    # when
    response = _upload(owner, product, imaging.upload(name, data))

    # then
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_image"
    assert not ProductImage.unscoped.filter(product=product).exists()


def test_too_small_image_is_refused(owner, product):
    # when
    response = _upload(owner, product, imaging.png(width=99, height=300))

    # then
    assert response.status_code == 400
    assert "too small" in response.json()["error"]


def test_too_many_pixels_is_refused_before_decoding(owner, product, settings):
    # given: a small file that declares 3000x3000 pixels, above a 2000 px limit
    settings.COMMERCE_IMAGE_MAX_SIDE = 2000
    data = imaging.image_bytes(3000, 3000, "PNG")

    # when
    response = _upload(owner, product, imaging.upload("huge.png", data))

    # then
    assert response.status_code == 400
    assert "too large" in response.json()["error"]


def test_oversize_file_is_413(owner, product, settings):
    # given: a per-file limit of 50 kB and a 400x400 noise PNG of about 480 kB
    settings.COMMERCE_IMAGE_MAX_BYTES = 50_000
    data = imaging.image_bytes(400, 400, "PNG", noise=True)
    assert len(data) > 50_000

    # when
    response = _upload(owner, product, imaging.upload("big.png", data))

    # then
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_request_over_the_upload_limit_is_413(owner, product, settings):
    # given
    settings.FLOWLINE_MAX_UPLOAD_BYTES = 100_000
    data = imaging.image_bytes(400, 400, "PNG", noise=True)

    # when
    response = _upload(owner, product, imaging.upload("big.png", data))

    # then
    assert response.status_code == 413


def test_one_bad_file_stores_none(owner, product, media_root):
    # when
    response = _upload(owner, product, imaging.png(), imaging.upload("x.png", b"not an image"))

    # then
    assert response.status_code == 400
    assert response.json()["errors"]["images"] == {
        "1": ["not a readable PNG, JPEG, WEBP or GIF image."]
    }
    assert not ProductImage.unscoped.exists()
    assert not any(p.is_file() for p in Path(media_root).rglob("*"))


def test_later_uploads_go_after_and_keep_the_primary(owner, product):
    # given
    first = _upload(owner, product, imaging.png()).json()["data"][0]

    # when
    later = _upload(owner, product, imaging.png(), imaging.png()).json()["data"]

    # then
    assert [(r["position"], r["is_primary"]) for r in later] == [(1, False), (2, False)]
    assert ProductImage.unscoped.get(id=first["id"]).is_primary


def test_set_primary_reorder_and_delete(owner, product):
    # given
    rows = _upload(owner, product, imaging.png(), imaging.png(), imaging.jpeg()).json()["data"]
    a, b, c = (row["id"] for row in rows)
    base = f"/api/v1/products/{product.id}/images/"

    # when
    primary = owner.client.post(f"{base}{c}/set_primary/")
    reordered = owner.client.post(f"{base}reorder/", {"ids": [c, a, b]})

    # then
    assert primary.status_code == 200 and primary.json()["data"]["is_primary"]
    assert reordered.status_code == 200
    listed = owner.client.get(base).json()["data"]
    assert [(r["id"], r["position"], r["is_primary"]) for r in listed] == [
        (c, 0, True),
        (a, 1, False),
        (b, 2, False),
    ]

    # when: the primary image is deleted, the next one in order takes over
    image = ProductImage.unscoped.get(id=c)
    files = [image.image.name, image.thumbnail.name]
    deleted = owner.client.delete(f"{base}{c}/")

    # then
    assert deleted.status_code == 200
    assert not any(default_storage.exists(name) for name in files)
    listed = owner.client.get(base).json()["data"]
    assert [(r["id"], r["is_primary"]) for r in listed] == [(a, True), (b, False)]


def test_reorder_must_name_every_image_once(owner, product):
    # given
    rows = _upload(owner, product, imaging.png(), imaging.png()).json()["data"]
    base = f"/api/v1/products/{product.id}/images/reorder/"

    # when / then
    assert owner.client.post(base, {"ids": [rows[0]["id"]]}).status_code == 400
    assert owner.client.post(base, {"ids": [rows[0]["id"]] * 2}).status_code == 400


def test_images_of_another_product_or_account_are_404(owner, other_owner, product):
    # given
    image_id = _upload(owner, product, imaging.png()).json()["data"][0]["id"]
    other_product = ProductFactory(account=owner.account)
    foreign_product = ProductFactory(account=other_owner.account)

    # when / then
    mine = f"/api/v1/products/{other_product.id}/images/{image_id}/"
    assert owner.client.delete(mine).status_code == 404
    assert owner.client.post(f"{mine}set_primary/").status_code == 404
    intruder = f"/api/v1/products/{product.id}/images/{image_id}/"
    assert other_owner.client.delete(intruder).status_code == 404
    assert _upload(owner, foreign_product, imaging.png()).status_code == 404
    assert ProductImage.unscoped.filter(id=image_id).exists()


def test_deleting_a_product_removes_its_files(owner, product):
    # given
    row = _upload(owner, product, imaging.png()).json()["data"][0]
    image = ProductImage.unscoped.get(id=row["id"])

    # when
    owner.client.delete(f"/api/v1/products/{product.id}/")

    # then
    assert not default_storage.exists(image.image.name)
    assert not default_storage.exists(image.thumbnail.name)


def test_uploaded_media_is_served_with_nosniff(owner, product, settings):
    # given
    settings.ROOT_URLCONF = "flowline.commerce.tests.media_urls"
    row = _upload(owner, product, imaging.png()).json()["data"][0]

    # when
    response = owner.client.get(row["url"])

    # then
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"


def _jpeg_with_gps(width=1200, height=900, orientation=1) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 1.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _stored_image(product) -> Image.Image:
    row = ProductImage.unscoped.get(product=product)
    with default_storage.open(row.image.name) as handle:
        picture = Image.open(io.BytesIO(handle.read()))
        picture.load()
    return picture


def test_exif_with_gps_is_removed_before_storing(owner, product):
    # given: a phone photo carrying its maker and GPS position
    data = _jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif().get(0x8825)

    # when
    response = _upload(owner, product, imaging.upload("phone.jpg", data, "image/jpeg"))

    # then: stored without any EXIF, same size and format
    assert response.status_code == 201, response.content
    stored = _stored_image(product)
    assert (stored.format, stored.size) == ("JPEG", (1200, 900))
    assert not stored.getexif() and "exif" not in stored.info
    assert response.json()["data"][0]["size_bytes"] == ProductImage.unscoped.get().size_bytes


def test_a_rotated_photo_is_stored_upright_without_its_orientation_tag(owner, product):
    # given: a 1200x900 sensor image tagged "rotate 90° clockwise" (orientation 6)
    data = _jpeg_with_gps(orientation=6)

    # when
    response = _upload(owner, product, imaging.upload("portrait.jpg", data, "image/jpeg"))

    # then: stored as the viewer sees it, 900x1200, with no tag left to turn it again
    assert response.status_code == 201, response.content
    assert (response.json()["data"][0]["width"], response.json()["data"][0]["height"]) == (
        900,
        1200,
    )
    stored = _stored_image(product)
    assert stored.size == (900, 1200) and not stored.getexif()


def test_images_without_metadata_are_stored_byte_for_byte(owner, product):
    data = imaging.image_bytes(800, 600, "PNG")

    response = _upload(owner, product, imaging.upload("plain.png", data))

    assert response.status_code == 201, response.content
    row = ProductImage.unscoped.get(product=product)
    with default_storage.open(row.image.name) as handle:
        assert handle.read() == data
