"""What Django serves at MEDIA_URL when it serves media itself: public images only, never
as a page; private files are outside MEDIA_ROOT and out of its reach."""

import io

import pytest
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.test import RequestFactory
from PIL import Image

from flowline.core import media, private_files


@pytest.fixture
def media_root(tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    return root


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    return buffer.getvalue()


def _get(root, path):
    return media.serve(RequestFactory().get(f"/media/{path}"), path, document_root=str(root))


def test_a_public_image_is_served_with_nosniff_and_a_sandbox(media_root):
    # given
    (media_root / "products").mkdir()
    (media_root / "products" / "a1.png").write_bytes(_png())

    # when
    response = _get(media_root, "products/a1.png")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize(
    "name", ["page.html", "logo.svg", "agent-uploads/leads.csv", "x.js", "noext", "a.png.html"]
)
def test_nothing_but_images_is_served_even_if_present(media_root, name):
    # given: a file left in the public folder (an upload from before files were checked)
    path = media_root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"<script>alert(document.cookie)</script>")

    # when / then
    with pytest.raises(Http404):
        _get(media_root, name)


def test_the_private_folder_is_not_under_the_public_one_nor_reachable_from_it():
    private = private_files.private_storage().path("x")
    public_root = str(settings.MEDIA_ROOT)

    assert not private.startswith(public_root.rstrip("/") + "/")
    with pytest.raises((Http404, SuspiciousFileOperation)):  # 404 / 400 through Django
        _get(settings.MEDIA_ROOT, "../private/agent-uploads/1/x.png")
