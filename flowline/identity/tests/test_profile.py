"""The signed-in user's profile (auth/profile/): names, theme, onboarding, avatar."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from flowline.identity.models import User

API = "/api/v1"


def _png(size=(8, 8), color=(200, 30, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def media_root(tmp_path):
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        yield tmp_path


@pytest.mark.django_db
def test_patch_names_theme_and_onboarding_state(owner):
    # when
    response = owner.client.patch(
        f"{API}/auth/profile/",
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "theme": "dark",
            "onboarding_state": {"step": 3, "done": ["site"]},
        },
        format="json",
    )

    # then
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["first_name"], data["last_name"], data["theme"]) == ("Ada", "Lovelace", "dark")
    assert data["onboarding_state"] == {"step": 3, "done": ["site"]}
    user = User.objects.get(pk=owner.user.pk)
    assert user.theme == "dark" and user.onboarding_state["step"] == 3
    assert owner.client.get(f"{API}/auth/me/").json()["data"]["first_name"] == "Ada"


@pytest.mark.django_db
def test_profile_get_shows_no_secrets(owner):
    # when
    response = owner.client.get(f"{API}/auth/profile/")

    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "password" not in body and "token_version" not in body
    assert owner.user.password not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        {"email": "new@example.com"},
        {"is_staff": True},
        {"email_verified": False},
        {"password": "x"},
        {"nickname": "x"},
    ],
)
def test_unknown_or_protected_field_is_400_and_changes_nothing(owner, payload):
    # when
    response = owner.client.patch(f"{API}/auth/profile/", payload, format="json")

    # then
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and body["code"] == "validation_error"
    user = User.objects.get(pk=owner.user.pk)
    assert (user.email, user.is_staff, user.email_verified) == (owner.user.email, False, True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload", [{"theme": "neon"}, {"onboarding_state": [1, 2]}, {"first_name": "x" * 151}]
)
def test_invalid_values_are_400(owner, payload):
    # when
    response = owner.client.patch(f"{API}/auth/profile/", payload, format="json")

    # then
    assert response.status_code == 400
    assert set(payload) <= set(response.json()["errors"])


@pytest.mark.django_db
def test_avatar_upload_stores_a_real_png(owner, media_root):
    # given
    upload = SimpleUploadedFile("me.png", _png(), content_type="image/png")

    # when
    response = owner.client.patch(f"{API}/auth/profile/", {"avatar": upload}, format="multipart")

    # then
    assert response.status_code == 200, response.content
    avatar = response.json()["data"]["avatar"]
    assert avatar and "avatars/" in avatar and avatar.endswith(".png")
    user = User.objects.get(pk=owner.user.pk)
    with Image.open(user.avatar.path) as stored:
        assert stored.format == "PNG" and stored.size == (8, 8)


@pytest.mark.django_db
def test_avatar_gets_a_random_name_the_extension_of_its_bytes_and_no_metadata(owner, media_root):
    # given: a JPEG carrying a GPS position, named as if it were a page
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPSInfo
    Image.new("RGB", (8, 8), (10, 20, 30)).save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("me.html", buffer.getvalue(), content_type="text/html")

    # when
    response = owner.client.patch(f"{API}/auth/profile/", {"avatar": upload}, format="multipart")

    # then
    assert response.status_code == 200, response.content
    user = User.objects.get(pk=owner.user.pk)
    assert user.avatar.name.startswith(f"avatars/{user.id}/") and user.avatar.name.endswith(".jpg")
    assert "me" not in user.avatar.name.rsplit("/", 1)[-1]
    with Image.open(user.avatar.path) as stored:
        assert not stored.getexif()


@pytest.mark.django_db
def test_a_new_avatar_replaces_the_old_file(owner, media_root):
    # given
    first = SimpleUploadedFile("a.png", _png(), content_type="image/png")
    owner.client.patch(f"{API}/auth/profile/", {"avatar": first}, format="multipart")
    old = User.objects.get(pk=owner.user.pk).avatar.name

    # when
    second = SimpleUploadedFile("b.png", _png(color=(1, 2, 3)), content_type="image/png")
    response = owner.client.patch(f"{API}/auth/profile/", {"avatar": second}, format="multipart")

    # then
    assert response.status_code == 200
    assert not (media_root / old).exists()
    assert (media_root / User.objects.get(pk=owner.user.pk).avatar.name).is_file()


@pytest.mark.django_db
def test_avatar_file_name_cannot_escape_the_avatar_folder(owner, media_root):
    # given
    upload = SimpleUploadedFile("../../../evil.png", _png(), content_type="image/png")

    # when
    response = owner.client.patch(f"{API}/auth/profile/", {"avatar": upload}, format="multipart")

    # then
    assert response.status_code == 200, response.content
    user = User.objects.get(pk=owner.user.pk)
    assert user.avatar.name.startswith("avatars/") and ".." not in user.avatar.name
    assert (media_root / user.avatar.name).is_file()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("notes.png", b"this is not an image at all", "image/png"),
        (
            "script.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
            "image/svg+xml",
        ),
        ("doc.pdf", b"%PDF-1.4\n%%EOF", "application/pdf"),
    ],
)
def test_non_image_avatar_is_400(owner, media_root, name, content, content_type):
    # given
    upload = SimpleUploadedFile(name, content, content_type=content_type)

    # when
    response = owner.client.patch(f"{API}/auth/profile/", {"avatar": upload}, format="multipart")

    # then
    assert response.status_code == 400
    assert "avatar" in response.json()["errors"]
    assert not User.objects.get(pk=owner.user.pk).avatar


@pytest.mark.django_db
def test_image_of_an_unaccepted_format_is_400(owner, media_root):
    # given a real image in a format avatars do not take
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="BMP")
    upload = SimpleUploadedFile("me.bmp", buffer.getvalue(), content_type="image/bmp")

    # when
    response = owner.client.patch(f"{API}/auth/profile/", {"avatar": upload}, format="multipart")

    # then
    assert response.status_code == 400
    assert "avatar" in response.json()["errors"]


@pytest.mark.django_db
def test_profile_needs_a_signed_in_user(api_client):
    # when
    response = api_client.patch(f"{API}/auth/profile/", {"first_name": "x"}, format="json")

    # then
    assert response.status_code == 401
