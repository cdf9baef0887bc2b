"""The offline provider's embeddings (hashed bag of words) and images (a titled placeholder)."""

from __future__ import annotations

import hashlib
import io
import itertools
import math
import re
import textwrap

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

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
    """A clean placeholder PNG of the requested size (capped at 1024): a soft gradient in
    colours drawn from the prompt, the picture's subject as a title, and a small
    "offline placeholder" label (the prompt itself is not dumped on it)."""
    width, height = _size(size)
    seed = hashlib.sha256(prompt.encode()).digest()
    top = (40 + seed[0] % 120, 40 + seed[1] % 120, 60 + seed[2] % 120)
    bottom = (20 + seed[3] % 80, 30 + seed[4] % 80, 40 + seed[5] % 100)
    picture = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        mix = y / max(1, height - 1)
        colour = tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    # A few soft discs, placed by the seed, so pictures of different subjects differ.
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    shapes = ImageDraw.Draw(layer)
    for index in range(3):
        radius = (0.15 + seed[6 + index] / 255 * 0.35) * min(width, height)
        cx, cy = seed[9 + index] / 255 * width, seed[12 + index] / 255 * height
        shapes.ellipse(
            [cx - radius, cy - radius, cx + radius, cy + radius], fill=(255, 255, 255, 28)
        )
    picture = Image.alpha_composite(picture.convert("RGBA"), layer).convert("RGB")
    draw = ImageDraw.Draw(picture)
    _centred_title(draw, subject(prompt), width, height)
    label = ImageFont.load_default(size=max(10, min(width, height) // 28))
    draw.text(
        (12, height - 12), "Offline placeholder", fill=(235, 235, 235), font=label, anchor="ls"
    )
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


_LEAD = re.compile(
    r"^(?:an?\s+)?(?:editorial\s+)?(?:photograph|photo|image|picture|illustration)"
    r"\s+(?:illustrating|showing|of)\s+",
    re.IGNORECASE,
)


def subject(prompt: str) -> str:
    """What the picture is of: the prompt's first clause, without "Photograph showing"."""
    first = re.split(r"\.\s|\n|,", prompt.strip(), maxsplit=1)[0]
    first = _LEAD.sub("", first).strip(" .") or "Image"
    return first[:1].upper() + first[1:120]


def _centred_title(draw, title: str, width: int, height: int) -> None:
    size = max(12, min(width, height) // 9)
    while True:
        font = ImageFont.load_default(size=size)
        columns = max(8, int(width * 0.8 / (size * 0.55)))
        lines = textwrap.wrap(title, columns)[:4]
        line_height = size * 1.25
        if len(lines) * line_height < height * 0.6 or size <= 12:
            break
        size -= 4
    y = (height - line_height * len(lines)) / 2 + line_height / 2
    for line in lines:
        draw.text((width / 2, y), line, fill=(255, 255, 255), font=font, anchor="mm")
        y += line_height


def _size(size: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in size.lower().split("x"))
    except ValueError:
        width = height = 512
    return max(64, min(width, 1024)), max(64, min(height, 1024))
