"""Publishing writer content to WordPress.

Once a post's id is known it is kept (PublishRecord.external_id): publishing again
updates that post, after checking that nobody changed it on WordPress since (see
services.remote; a change is 409 `wordpress_conflict` unless forced).

A new post is made in two steps. First a bare draft whose content is a marker,
`<!-- flowline:<token> -->`, with the token stored before the request is sent; then,
with the post's id known, its images are uploaded attached to it, and one update fills
in the title, HTML, terms, status and featured image, which also removes the marker. If
the first answer never comes (UnknownOutcome) or the worker dies, the next attempt
searches the site for `flowline:<token>` (plain text: WordPress strips tags from a
search, so the comment itself would search for nothing) and carries on with the post it
finds instead of making a second one.

The slug is WordPress's: made from the title when the post is first published and kept
after, so editing a live article's title does not move its permalink. It is sent only
when the user chose one (the content's `slug`) that was not sent before.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from flowline.core.errors import ApplicationError, ConflictError, NotFoundError
from flowline.integration import content_source
from flowline.integration.content_source import PublishableContent
from flowline.integration.models import PublishRecord, SiteIntegration, SyncEvent
from flowline.integration.services import media, remote
from flowline.integration.services.integrations import client_for, event_log
from flowline.integration.wordpress import errors
from flowline.integration.wordpress.client import WordPressClient

logger = logging.getLogger("flowline.integration")

# Longer than one publish can take (a few requests of WORDPRESS_TIMEOUT each).
LEASE = timedelta(minutes=10)


class PublishInProgress(ConflictError):
    """Another worker holds this content's record: try again once it is done."""

    default_code = "publish_in_progress"
    transient = True
    retry_after = 30.0


def marker(token: str) -> str:
    """What a new post's first content is, so an unknown create can be found."""
    return f"<!-- {marker_text(token)} -->"


def marker_text(token: str) -> str:
    """The marker as WordPress's search finds it (no tags, no `%`, no spaces)."""
    return f"flowline:{token}"


def integration_for(
    *, account_id: int, site_id: int, integration_id: int | None = None
) -> SiteIntegration:
    """The integration to publish a site's content with: the one named (it must be the
    site's) or the site's WordPress integration."""
    queryset = SiteIntegration.unscoped.filter(account_id=account_id)
    if integration_id is not None:
        integration = queryset.filter(id=integration_id).first()
        if integration is None:
            raise NotFoundError(
                "Integration not found.", errors={"integration_id": [integration_id]}
            )
        if integration.site_id != site_id:
            raise ApplicationError(
                "The content belongs to another site than this integration.",
                code="site_mismatch",
                errors={"integration_id": ["Not the content's site."]},
            )
    else:
        integration = queryset.filter(
            site_id=site_id, platform=SiteIntegration.Platform.WORDPRESS
        ).first()
        if integration is None:
            raise ApplicationError(
                "The content's site has no WordPress integration.",
                code="no_integration",
                errors={"integration_id": ["Connect the site to WordPress first."]},
            )
    if not integration.is_active:
        raise ApplicationError(
            "This integration is turned off.", code="integration_inactive", status=409
        )
    return integration


def content_publish(
    *,
    account_id: int,
    content_id: int,
    integration: SiteIntegration,
    post_status: str | None = None,
    force: bool = False,
) -> PublishRecord:
    """Publish (or re-publish) one content to `integration`; returns its record.

    Raises PublishInProgress (409, transient) while another worker publishes the same
    content there, WordPressConflict (409) when the post changed on WordPress since
    Flowline last wrote it and `force` is off, and the WordPress errors (`transient`
    ones are worth a retry).
    """
    content = content_source.load(account_id=account_id, content_id=content_id)
    if content.site_id != integration.site_id:
        raise ApplicationError(
            "The content belongs to another site than this integration.", code="site_mismatch"
        )
    record = claim(integration, content.id, publishing=True)
    try:
        with client_for(integration) as wp:
            post, slug_sent = _send(wp, record, integration, content, post_status, force)
    except errors.UnknownOutcome as exc:
        _release(record, PublishRecord.Status.UNKNOWN, exc)
        raise
    except errors.WordPressConflict as exc:
        _release(record, PublishRecord.Status.CONFLICT, exc, conflict=exc.changes)
        _emit_failed(record, exc)
        raise
    except Exception as exc:
        _release(record, PublishRecord.Status.FAILED, exc)
        if not getattr(exc, "transient", False):
            _emit_failed(record, exc)
        raise
    return _published(record, integration, post, slug_sent)


def claim(integration: SiteIntegration, content_id: int, *, publishing: bool) -> PublishRecord:
    """Take the record for this attempt (a lease, so a dead worker's claim runs out);
    a publish also counts the attempt and shows `publishing`."""
    record, _ = PublishRecord.unscoped.get_or_create(
        integration=integration,
        content_id=content_id,
        defaults={"account_id": integration.account_id, "site_id": integration.site_id},
    )
    now = timezone.now()
    fields = {"lease_until": now + LEASE}
    if publishing:
        fields.update(status=PublishRecord.Status.PUBLISHING, attempts=F("attempts") + 1)
    claimed = (
        PublishRecord.unscoped.filter(id=record.id)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(**fields)
    )
    if not claimed:
        raise PublishInProgress("This content is being published to this site right now.")
    record.refresh_from_db()
    return record


def _send(
    wp: WordPressClient,
    record: PublishRecord,
    integration: SiteIntegration,
    content: PublishableContent,
    post_status: str | None,
    force: bool,
) -> tuple[dict, str]:
    post = _existing_post(wp, record, force) or _new_post(wp, record, content)
    post_id = int(post["id"])
    html, featured_id, used = media.sync_images(wp, record, content, post_id)
    term_ids: dict[str, list[int]] = {"categories": [], "tags": []}
    for term in content.terms:
        term_ids[term.kind].append(wp.ensure_term(term.kind, name=term.name, slug=term.slug))
    fields = {
        "title": content.title,
        "content": html,  # the whole HTML: a new post's marker goes with this update
        "excerpt": content.excerpt,
        "status": post_status or integration.post_status,
        "categories": term_ids["categories"],
        "tags": term_ids["tags"],
        "featured_media": featured_id,
        # Kept by sites that register these keys (register_post_meta, show_in_rest);
        # WordPress ignores unregistered meta.
        "meta": {
            "flowline_content_id": str(content.id),
            "flowline_meta_title": content.meta_title,
            "flowline_meta_description": content.meta_description,
        },
    }
    slug_sent = (record.published_version or {}).get("slug_sent", "")
    if content.slug and content.slug != slug_sent:
        fields["slug"] = slug_sent = content.slug  # the user chose another permalink
    # If the answer to this update is lost, the next attempt sees the post changed: this
    # says the change was ours (see remote.changes_since).
    record.published_version = {
        **(record.published_version or {}),
        "sending": remote.sending(content.title, html),
    }
    PublishRecord.unscoped.filter(id=record.id).update(published_version=record.published_version)
    updated = wp.update_post(post_id, fields)
    media.delete_unused(wp, record, used)  # the post no longer shows them
    return updated, slug_sent


def _existing_post(wp: WordPressClient, record: PublishRecord, force: bool) -> dict | None:
    """The record's post, unchanged on WordPress since Flowline's last write (or
    `force`); None when it has none or it was deleted on the site."""
    if not record.external_id:
        return None
    try:
        post = wp.get_post(int(record.external_id))
    except errors.WordPressNotFound:
        logger.info("Post %s is gone from %s; publishing anew", record.external_id, wp.root)
        record.external_id, record.attempt_token, record.published_version = "", "", {}
        PublishRecord.unscoped.filter(id=record.id).update(
            external_id="", attempt_token="", remote_modified_gmt=None, published_version={}
        )
        return None
    changes = remote.changes_since(record, post)
    if changes and not force:
        raise errors.WordPressConflict(
            "The post changed on WordPress since Flowline published it; publishing again "
            "would overwrite those changes. Publish with force to overwrite them.",
            changes=changes,
        )
    return post


def _new_post(wp: WordPressClient, record: PublishRecord, content: PublishableContent) -> dict:
    """A bare draft carrying the marker (or the one an earlier attempt made)."""
    if record.attempt_token:
        # An earlier create may have reached WordPress: find it before sending another.
        found = wp.find_post_containing(marker_text(record.attempt_token))
        if found is not None:
            return _remember(record, found)
    else:
        record.attempt_token = uuid.uuid4().hex
        PublishRecord.unscoped.filter(id=record.id).update(attempt_token=record.attempt_token)
    created = wp.create_post(
        {"title": content.title, "status": "draft", "content": marker(record.attempt_token)}
    )
    return _remember(record, created)


def _remember(record: PublishRecord, post: dict) -> dict:
    """Keep the new post's id at once: from here on a retry updates it."""
    fields = {
        "external_id": str(post["id"]),
        "post_status": str(post.get("status", "")),
        **remote.baseline(post),
    }
    PublishRecord.unscoped.filter(id=record.id).update(**fields)
    for name, value in fields.items():
        setattr(record, name, value)
    return post


def _release(
    record: PublishRecord, status: str, exc: Exception, conflict: dict | None = None
) -> None:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    code = str(getattr(exc, "code", "") or type(exc).__name__)
    fields = {
        "status": status,
        "lease_until": None,
        "error": message[:500],
        "error_code": code[:64],
    }
    if conflict is not None:
        fields["conflict"] = conflict
    PublishRecord.unscoped.filter(id=record.id).update(**fields)
    record.refresh_from_db()
    event_log(
        record.integration,
        SyncEvent.Kind.PUBLISH,
        success=False,
        message=message,
        details={"content_id": record.content_id, "code": code},
    )


def _published(
    record: PublishRecord, integration: SiteIntegration, post: dict, slug_sent: str
) -> PublishRecord:
    from flowline.webhooks.public import emit

    now = timezone.now()
    post_status = str(post.get("status", ""))
    url = str(post.get("link", ""))
    with transaction.atomic():
        PublishRecord.unscoped.filter(id=record.id).update(
            status=PublishRecord.Status.PUBLISHED,
            external_id=str(post["id"]),
            url=url,
            post_status=post_status,
            attempt_token="",
            lease_until=None,
            error="",
            error_code="",
            published_at=now,
            remote={
                "status": post_status,
                "link": url,
                "slug": post.get("slug", ""),
                "modified_gmt": post.get("modified_gmt", ""),
            },
            conflict={},
            updated_at=now,
            **remote.baseline(post, slug_sent=slug_sent),
        )
        record.refresh_from_db()
        remote.follow_post_status(record)
        emit(
            account_id=record.account_id,
            event_type="content.published",
            payload=payload(record),
        )
        event_log(
            integration,
            SyncEvent.Kind.PUBLISH,
            message=f"Published content {record.content_id} as post {record.external_id}.",
            details={"content_id": record.content_id, "post_id": record.external_id},
        )
    return record


def _emit_failed(record: PublishRecord, exc: Exception) -> None:
    from flowline.webhooks.public import emit

    emit(
        account_id=record.account_id,
        event_type="content.publish_failed",
        payload={**payload(record), "error": record.error, "error_code": record.error_code},
    )


def payload(record: PublishRecord) -> dict:
    """A record as webhook events carry it."""
    return {
        "record_id": record.id,
        "content_id": record.content_id,
        "site_id": record.site_id,
        "integration_id": record.integration_id,
        "post_id": record.external_id,
        "url": record.url,
        "post_status": record.post_status,
    }
