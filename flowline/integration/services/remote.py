"""What happened to a post on WordPress since Flowline last wrote it.

After each write Flowline keeps the post's `modified_gmt` and a small picture of it
(`PublishRecord.remote_modified_gmt`, `published_version`). WordPress moves
`modified_gmt` on every change: an editor's edit in wp-admin, a status change, a plugin.
Before writing again Flowline reads the post: a moved time is a conflict, and the
publish is refused (409 `wordpress_conflict`, naming what changed) unless it is forced.
Syncs and signed webhooks that carry `modified_gmt` note such changes on the record
(`conflict`) as soon as they are seen, so a publish can be refused at once.

The content's own status follows the post's: live on WordPress (`publish`, `future`,
`private`) is `published` in the writer; taken down there (draft, pending, trash,
deleted) is a writer `draft` again, which automation does not publish on its own.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from django.utils import timezone

from flowline.integration.models import PublishRecord

# WordPress statuses in which the content is live (or will be): the writer is told.
LIVE_STATUSES = ("publish", "future", "private")
_COMPARED = ("title", "status", "slug", "excerpt", "content", "categories", "tags")


def parse_gmt(value) -> datetime | None:
    """WordPress's `modified_gmt` ("2026-12-07T10:00:00", UTC without an offset)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _raw(post: dict, key: str) -> str:
    value = post.get(key)
    if isinstance(value, dict):
        value = value.get("raw", value.get("rendered"))
    return str(value or "")


def version_of(post: dict) -> dict:
    """The parts of a post (as WordPress answered, `edit` context) compared later."""
    return {
        "title": _raw(post, "title"),
        "status": str(post.get("status") or ""),
        "slug": str(post.get("slug") or ""),
        "excerpt": _raw(post, "excerpt"),
        "content": hashlib.sha256(_raw(post, "content").encode()).hexdigest(),
        "categories": sorted(int(t) for t in post.get("categories") or []),
        "tags": sorted(int(t) for t in post.get("tags") or []),
        "featured_media": int(post.get("featured_media") or 0),
    }


def sending(title: str, html: str | None, *, content_hash: str = "") -> dict:
    """What Flowline is about to write (kept until WordPress answers)."""
    digest = content_hash or hashlib.sha256((html or "").encode()).hexdigest()
    return {"title": title, "content": digest}


def baseline(post: dict, *, slug_sent: str = "") -> dict:
    """The record's fields for a post Flowline has just written."""
    return {
        "remote_modified_gmt": parse_gmt(post.get("modified_gmt")),
        "published_version": {**version_of(post), "slug_sent": slug_sent},
    }


def changes_since(record: PublishRecord, post: dict) -> dict:
    """What changed on WordPress since Flowline's last write: {} when nothing did, or
    when there is nothing to compare with (a record written before this was kept)."""
    theirs = parse_gmt(post.get("modified_gmt"))
    if record.remote_modified_gmt is None or theirs is None:
        return {}
    if theirs == record.remote_modified_gmt:
        return {}
    ours, now = record.published_version or {}, version_of(post)
    if ours.get("sending") == sending(now["title"], None, content_hash=now["content"]):
        return {}  # Flowline's own update, whose answer was lost
    fields = {}
    for key in (*_COMPARED, "featured_media"):
        if key in ours and ours[key] != now[key]:
            fields[key] = (
                {"changed": True} if key == "content" else {"was": ours[key], "now": now[key]}
            )
    return {
        "modified_gmt": {"was": _iso(record.remote_modified_gmt), "now": _iso(theirs)},
        "fields": fields,
    }


def changes_from_event(record: PublishRecord, event: dict) -> dict:
    """What a webhook says changed, when it carries `modified_gmt` (newer than Flowline's
    last write); {} otherwise: without it, an event cannot be told from Flowline's own."""
    theirs = parse_gmt(event.get("modified_gmt"))
    if theirs is None or record.remote_modified_gmt is None:
        return {}
    if theirs <= record.remote_modified_gmt:
        return {}
    ours = record.published_version or {}
    fields = {
        key: {"was": ours[key], "now": event[key]}
        for key in ("title", "status", "slug", "excerpt")
        if key in event and key in ours and ours[key] != event[key]
    }
    known = (record.conflict or {}).get("fields", {})
    return {
        "modified_gmt": {"was": _iso(record.remote_modified_gmt), "now": _iso(theirs)},
        "fields": {**known, **fields},
    }


def is_stale(record: PublishRecord, event: dict) -> bool:
    """A webhook about a state older than Flowline's last write (a late delivery)."""
    theirs = parse_gmt(event.get("modified_gmt"))
    return bool(theirs and record.remote_modified_gmt and theirs < record.remote_modified_gmt)


def follow_post_status(record: PublishRecord) -> None:
    """Make the writer's content follow where its post stands on WordPress."""
    from flowline.writer.public import mark_published, mark_unpublished

    if record.external_id and record.post_status in LIVE_STATUSES:
        mark_published(
            content_id=record.content_id,
            external_id=record.external_id,
            url=record.url,
            published_at=record.published_at or timezone.now(),
        )
    else:
        mark_unpublished(content_id=record.content_id)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
