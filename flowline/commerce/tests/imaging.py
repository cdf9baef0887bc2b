"""Real image files made with Pillow for upload tests."""

from __future__ import annotations

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(width: int, height: int, fmt: str = "PNG", *, noise: bool = False) -> bytes:
    mode = "RGBA" if fmt == "PNG" else "RGB"
    picture = Image.new(mode, (width, height), (200, 80, 40) + ((255,) if mode == "RGBA" else ()))
    if noise:
        rng = random.Random(7)
        picture = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    out = io.BytesIO()
    picture.save(out, format=fmt)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def png(name: str = "photo.png", width: int = 800, height: int = 600) -> SimpleUploadedFile:
    return upload(name, image_bytes(width, height, "PNG"))


def jpeg(name: str = "photo.jpg", width: int = 1200, height: int = 900) -> SimpleUploadedFile:
    return upload(name, image_bytes(width, height, "JPEG"), "image/jpeg")
