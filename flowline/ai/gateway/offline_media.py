"""The offline provider's embeddings (hashed bag of words) and images (a PNG with the prompt)."""

from __future__ import annotations

import hashlib
import io
import itertools
import math
import re
import textwrap

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from flowline.ai.gateway.types import OFFLINE_NOTE

_TOKEN = re.compile(r"[a-z0-9]+")


def embed(texts: list[str]) -> list[list[float]]:
    """One unit vector per text: words hashed into buckets with a sign, so texts sharing
    words point the same way (cosine similarity works) and the same text always gives the
    same vector."""
    return [_vector(text, settings.AI_OFFLINE_EMBEDDING_DIM) for text in texts]


def _vector(text: str, dim: int) -> list[float]:
    vector = [0.0] * dim
    tokens = _TOKEN.findall(text.lower())
    features = tokens + [f"{a}_{b}" for a, b in itertools.pairwise(tokens)]
    for feature in features:
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        bucket = int.from_bytes(digest[:4], "big") % dim
        sign = 1.0 if digest[4] & 1 else -1.0
        vector[bucket] += sign * (0.5 if "_" in feature else 1.0)
    norm = math.sqrt(sum(value * value for value in vector))
    return [value / norm for value in vector] if norm else vector


def image(prompt: str, size: str) -> bytes:
    """A real PNG of the requested size (capped at 1024) showing the prompt."""
    width, height = _size(size)
    seed = hashlib.sha256(prompt.encode()).digest()
    background = (60 + seed[0] % 140, 60 + seed[1] % 140, 60 + seed[2] % 140)
    picture = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default()
    columns = max(20, width // 8)
    lines = textwrap.wrap(prompt, columns)[: max(1, height // 16 - 4)]
    y = 12
    for line in ["Flowline offline image", "", *lines]:
        draw.text((12, y), line, fill=(255, 255, 255), font=font)
        y += 14
    note = textwrap.wrap(OFFLINE_NOTE, columns)[:3]
    for index, line in enumerate(note):
        draw.text(
            (12, height - 14 * (len(note) - index) - 6), line, fill=(230, 230, 230), font=font
        )
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def _size(size: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in size.lower().split("x"))
    except ValueError:
        width = height = 512
    return max(64, min(width, 1024)), max(64, min(height, 1024))
