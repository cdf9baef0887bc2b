"""A site's (brand's) logo: a public picture, checked by its bytes, under a random name."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from flowline.sites.models import Site
from flowline.sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
SITES = "/api/v1/auth/sites/"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_logo_is_stored_under_a_random_name_and_served_as_an_image(owner, media_root):
    # given
    site = SiteFactory(account=owner.account)
    logo = SimpleUploadedFile("logo.svg", _png(), content_type="image/svg+xml")

    # when
    response = owner.client.patch(f"{SITES}{site.id}/", {"logo": logo}, format="multipart")

    # then: stored by what its bytes are, not by what its name says
    assert response.status_code == 200, response.content
    name = Site.unscoped.get(id=site.id).logo.name
    assert name.startswith(f"site-logos/{owner.account_id}/") and name.endswith(".png")
    assert "logo" not in name.rsplit("/", 1)[-1]
    assert response.json()["data"]["logo"] == f"http://testserver/media/{name}"
    assert (media_root / name).is_file()


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"<html><body onload=alert(1)></body></html>",
    ],
)
def test_a_logo_that_is_not_a_picture_is_400(owner, media_root, content):
    # given
    site = SiteFactory(account=owner.account)
    logo = SimpleUploadedFile("logo.png", content, content_type="image/png")

    # when
    response = owner.client.patch(f"{SITES}{site.id}/", {"logo": logo}, format="multipart")

    # then
    assert response.status_code == 400
    assert "logo" in response.json()["errors"]
    assert not Site.unscoped.get(id=site.id).logo
    assert not any(path.is_file() for path in media_root.rglob("*"))


def test_replacing_or_removing_the_logo_deletes_the_old_file(owner, media_root):
    # given
    site = SiteFactory(account=owner.account)
    owner.client.patch(
        f"{SITES}{site.id}/", {"logo": SimpleUploadedFile("a.png", _png())}, format="multipart"
    )
    first = Site.unscoped.get(id=site.id).logo.name

    # when
    owner.client.patch(
        f"{SITES}{site.id}/", {"logo": SimpleUploadedFile("b.png", _png())}, format="multipart"
    )
    second = Site.unscoped.get(id=site.id).logo.name
    removed = owner.client.patch(f"{SITES}{site.id}/", {"logo": None}, format="json")

    # then
    assert removed.status_code == 200, removed.content
    assert removed.json()["data"]["logo"] is None
    assert first != second
    assert not (media_root / first).exists() and not (media_root / second).exists()
