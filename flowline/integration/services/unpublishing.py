"""Taking a published post down, and what deleting content does to its posts.

`record_unpublish` moves the post to a draft (it stays on the site, out of sight) or to
the trash (WordPress empties it after 30 days; until then it can be restored, and
publishing again from Flowline restores it with its slug). The record stays, with the
post id, so publishing again updates the same post; the writer's content becomes a
draft; queued publishes of it are cancelled; `content.unpublished` is emitted.

Deleting content in Flowline (`DELETE writer/content/{id}/`, `bulk_delete`) is refused
with 409 `content_published` while it has a post on a site (in any status but the
trash), unless `?unpublish=` says what to do with the posts: `trash` or `draft` takes
them down first (then Flowline forgets them), `keep` leaves them as they are on the site
and forgets them.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from flowline.core.errors import ApplicationError, ConflictError
from flowline.integration.models import PublishQueueItem, PublishRecord, SyncEvent
from flowline.integration.services import publishing, remote
from flowline.integration.services.integrations import client_for, event_log
from flowline.integration.wordpress import errors

UNPUBLISH_TO = ("draft", "trash")
_DOWN = {"draft": ("draft", "pending"), "trash": ("trash",)}
_GONE = ("trash", "deleted", "missing")


def record_unpublish(*, record: PublishRecord, to: str = "draft") -> PublishRecord:
    """Take the record's post down on WordPress, to a draft or to the trash.

    409 `not_published` when the record has no post, `publish_in_progress` while a
    publish of the same content runs; WordPress's errors as they come (nothing changes
    here when WordPress refused). A post deleted on the site meanwhile is recorded as
    `deleted`. Changes made on WordPress before are kept as a conflict, so a later
    publish still asks before overwriting them.
    """
    if to not in UNPUBLISH_TO:
        raise ApplicationError(
            "Unpublish to a draft or to the trash.", errors={"to": ["Use draft or trash."]}
        )
    if not record.external_id:
        raise ConflictError("This content has no post on the site.", code="not_published")
    integration = publishing.integration_for(
        account_id=record.account_id,
        site_id=record.site_id,
        integration_id=record.integration_id,
    )
    record = publishing.claim(integration, record.content_id, publishing=False)
    try:
        with client_for(integration) as wp:
            post = _take_down(wp, record, to)
    except Exception as exc:
        PublishRecord.unscoped.filter(id=record.id).update(lease_until=None)
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        event_log(
            integration,
            SyncEvent.Kind.PUBLISH,
            success=False,
            message=f"Unpublishing content {record.content_id} failed: {message}",
            details={"content_id": record.content_id, "to": to},
        )
        raise
    return _unpublished(record, post, to)


def _take_down(wp, record: PublishRecord, to: str) -> tuple[dict | None, dict]:
    try:
        post = wp.get_post(int(record.external_id))
    except errors.WordPressNotFound:
        return None, {}
    changes = remote.changes_since(record, post)
    if post.get("status") not in _DOWN[to]:
        post = (
            wp.trash_post(int(record.external_id))
            if to == "trash"
            else wp.update_post(int(record.external_id), {"status": "draft"})
        )
    return post, changes


def _unpublished(record: PublishRecord, answer, to: str) -> PublishRecord:
    from flowline.webhooks.public import emit

    post, changes = answer
    now = timezone.now()
    fields = {
        "status": PublishRecord.Status.UNPUBLISHED,
        "lease_until": None,
        "error": "",
        "error_code": "",
        "updated_at": now,
    }
    if post is None:
        fields.update(post_status="deleted", url="", remote={**record.remote, "status": "missing"})
    else:
        link = str(post.get("link", ""))
        fields.update(
            post_status=str(post.get("status", "")),
            url=link,
            remote={**record.remote, "status": post.get("status", ""), "link": link},
        )
        if changes:  # theirs: still to be asked about before a publish overwrites them
            fields["conflict"] = changes
        else:
            slug_sent = (record.published_version or {}).get("slug_sent", "")
            fields.update(remote.baseline(post, slug_sent=slug_sent))
    with transaction.atomic():
        PublishRecord.unscoped.filter(id=record.id).update(**fields)
        record.refresh_from_db()
        PublishQueueItem.unscoped.filter(
            integration_id=record.integration_id,
            content_id=record.content_id,
            status=PublishQueueItem.Status.QUEUED,
        ).update(status=PublishQueueItem.Status.CANCELLED, updated_at=now)
        remote.follow_post_status(record)
        emit(
            account_id=record.account_id,
            event_type="content.unpublished",
            payload={**publishing.payload(record), "to": to},
        )
        event_log(
            record.integration,
            SyncEvent.Kind.PUBLISH,
            message=f"Unpublished content {record.content_id} ({record.post_status}).",
            details={"content_id": record.content_id, "post_id": record.external_id, "to": to},
        )
    return record


# --- deleting content -------------------------------------------------------------------
def _posts_of(account_id: int, content_ids: list[int], unpublish: str | None):
    """The content's posts still on a site that `unpublish` does not allow to keep."""
    records = PublishRecord.unscoped.filter(
        account_id=account_id, content_id__in=content_ids
    ).exclude(external_id="")
    allowed = _DOWN.get(unpublish or "trash", ())
    return [r for r in records if r.post_status not in _GONE and r.post_status not in allowed]


def before_content_delete(*, account_id: int, content_ids: list[int], unpublish: str | None):
    """Take the content's posts down as `unpublish` says (`trash` or `draft`), before the
    content is deleted (outside its transaction: this calls the sites)."""
    if unpublish not in UNPUBLISH_TO:
        return
    for record in _posts_of(account_id, content_ids, unpublish):
        record_unpublish(record=record, to=unpublish)


def check_content_delete(*, account_id: int, content_ids: list[int], unpublish: str | None):
    """409 `content_published` while the content has a post on a site (in any status
    but the trash), unless `unpublish` took it down or is `keep`."""
    if unpublish == "keep":
        return
    blocking = _posts_of(account_id, content_ids, unpublish)
    if blocking:
        raise ConflictError(
            "This content has a post on WordPress. Unpublish it first, or delete with "
            "?unpublish=trash (or draft, or keep to leave the post as it is).",
            code="content_published",
            errors={"unpublish": ["Choose trash, draft or keep."]},
            extra={
                "posts": [
                    {
                        "record_id": r.id,
                        "content_id": r.content_id,
                        "integration_id": r.integration_id,
                        "post_id": r.external_id,
                        "post_status": r.post_status,
                        "url": r.url,
                    }
                    for r in blocking
                ]
            },
        )
