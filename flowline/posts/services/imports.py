"""Bulk import of posts from CSV: one post per row, every row checked like a post made
through the API; good rows are committed, bad rows reported by line, never a silent half.

Columns (header row required; names are case-insensitive, 001's names accepted too):

| column | meaning |
| --- | --- |
| `text` (or `content`) | the default text |
| `platforms` | platform names separated by `|`: every connected account on them |
| `social_accounts` | social account ids separated by `|` (with or instead of platforms) |
| `scheduled_at` (or `scheduled_time`) | ISO 8601; without an offset it is UTC; empty = draft |
| `link`, `title` | as in the API |
| `media` (or `media_urls`) | URLs separated by `|`; .mp4/.mov/.webm/.m4v are videos |
| `text_<platform>` | that platform's own text (a variant), e.g. `text_twitter` |
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC

from django.db import transaction
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError

from flowline.core.errors import ApplicationError
from flowline.posts.conf import setting
from flowline.posts.services.content import post_create
from flowline.posts.services.scheduling import post_schedule
from flowline.social.public import PLATFORMS, SocialAccount

MAX_BYTES = 2 * 1024 * 1024
ALIASES = {"content": "text", "scheduled_time": "scheduled_at", "media_urls": "media"}
VIDEO_SUFFIXES = (".mp4", ".mov", ".webm", ".m4v")


@dataclass
class ImportResult:
    created: int = 0
    post_ids: list[int] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").replace(";", "|").split("|") if part.strip()]


def media_items(urls: list[str]) -> list[dict]:
    """Media items from bare URLs (a CSV cell, the console's composer): videos are told
    by their file's suffix, everything else is an image."""
    items = []
    for url in urls:
        path = url.split("?", 1)[0].lower()
        items.append({"url": url, "type": "video" if path.endswith(VIDEO_SUFFIXES) else "image"})
    return items


def _media(value: str) -> list[dict]:
    return media_items(_split(value))


def _row_body(row: dict) -> tuple[dict, str]:
    """The API body a row stands for, and its scheduled time (raw)."""
    body: dict = {}
    for name in ("title", "text", "link"):
        if row.get(name):
            body[name] = row[name]
    if row.get("media"):
        body["media"] = _media(row["media"])
    targets: list = [part for part in _split(row.get("social_accounts", ""))]
    for platform in _split(row.get("platforms", "")):
        if platform.lower() not in PLATFORMS:
            raise ApplicationError(
                "Unknown platform.", errors={"platforms": [f"Unknown platform {platform!r}."]}
            )
        found = list(
            SocialAccount.objects.filter(platform=platform.lower(), status="active").values_list(
                "id", flat=True
            )
        )
        if not found:
            raise ApplicationError(
                "No connected account.",
                errors={"platforms": [f"No connected {platform} account."]},
            )
        targets += [str(pk) for pk in found if str(pk) not in targets]
    if not targets:
        raise ApplicationError(
            "No target.", errors={"platforms": ["Give platforms or social_accounts."]}
        )
    body["targets"] = targets
    variants = {
        key[len("text_") :]: {"text": value}
        for key, value in row.items()
        if key.startswith("text_") and value
    }
    if variants:
        body["variants"] = variants
    return body, (row.get("scheduled_at") or "").strip()


def _plain(detail):
    """DRF's error detail as plain dicts, lists and strings."""
    if isinstance(detail, dict):
        return {str(key): _plain(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_plain(value) for value in detail]
    return str(detail)


def _when(raw: str):
    moment = parse_datetime(raw)
    if moment is None:
        raise ApplicationError(
            "Bad time.", errors={"scheduled_at": ["Use ISO 8601, e.g. 2026-12-01T09:30:00Z."]}
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _rows(data: bytes):
    if len(data) > MAX_BYTES:
        raise ApplicationError(
            "The file is too large.",
            code="payload_too_large",
            status=413,
            errors={"file": [f"At most {MAX_BYTES // 1024 // 1024} MB."]},
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            "Not UTF-8 text.", errors={"file": ["Save it as UTF-8 CSV."]}
        ) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise ApplicationError("The file is empty.", errors={"file": ["No header row."]})
    names = [ALIASES.get(n.strip().lower(), n.strip().lower()) for n in reader.fieldnames]
    reader.fieldnames = names
    if not {"text", "platforms", "social_accounts"} & set(names) and not any(
        n.startswith("text_") for n in names
    ):
        raise ApplicationError(
            "Missing columns.", errors={"file": ["Needs text and platforms or social_accounts."]}
        )
    return reader


def posts_import(*, data: bytes, author_id: int | None, schedule: bool = True) -> ImportResult:
    """Create a post for each good row (and schedule it when it has a time and `schedule`);
    each row commits or fails alone. Errors: [{"line": n, "errors": {...}}], the header
    being line 1."""
    from flowline.posts.api.serializers import PostInputSerializer

    reader = _rows(data)
    result = ImportResult()
    limit = setting("FLOWLINE_POSTS_IMPORT_MAX_ROWS")
    for count, row in enumerate(reader, start=1):
        line = reader.line_num
        if count > limit:
            result.errors.append(
                {"line": line, "errors": {"file": [f"Only the first {limit} rows are imported."]}}
            )
            break
        row = {key: (value or "").strip() for key, value in row.items() if key}
        if not any(row.values()):
            continue
        try:
            with transaction.atomic():
                body, raw_when = _row_body(row)
                payload = PostInputSerializer(data=body)
                payload.is_valid(raise_exception=True)
                post = post_create(author_id=author_id, **payload.validated_data)
                if raw_when and schedule:
                    post_schedule(post=post, scheduled_at=_when(raw_when))
        except ApplicationError as exc:
            result.errors.append({"line": line, "errors": exc.errors or {"row": [exc.message]}})
            continue
        except ValidationError as exc:
            result.errors.append({"line": line, "errors": _plain(exc.detail)})
            continue
        result.created += 1
        result.post_ids.append(post.id)
    return result
