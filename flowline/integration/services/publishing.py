"""Publishing writer content to WordPress: images to the media library, categories and
tags matched or created by slug, then the post created or updated.

Once a post's id is known it is kept (PublishRecord.external_id): publishing again
updates that post. Before a create is sent a token is stored and put in the post's
content; if no answer comes (UnknownOutcome) or the worker dies, the next attempt looks
for a post carrying the token and updates it instead of creating a second one.
"""

from __future__ import annotations

import html as html_lib
import logging
import posixpath
import re
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from flowline.core.errors import ApplicationError, ConflictError, NotFoundError
from flowline.integration import content_source
from flowline.integration.content_source import PublishableContent, PublishableImage
from flowline.integration.models import PublishRecord, SiteIntegration, SyncEvent
from flowline.integration.services.integrations import client_for, event_log
from flowline.integration.wordpress import errors
from flowline.integration.wordpress.client import WordPressClient

logger = logging.getLogger("flowline.integration")

# Longer than one publish can take (a few requests of WORDPRESS_TIMEOUT each).
LEASE = timedelta(minutes=10)
# WordPress statuses in which the content is live (or will be): the writer is told.
LIVE_STATUSES = ("publish", "future", "private")
_IMG_SRC = re.compile(r"(<img\b[^>]*?\bsrc\s*=\s*)([\"'])(.*?)\2", re.IGNORECASE | re.DOTALL)
_H2 = re.compile(r"<h2\b", re.IGNORECASE)


class PublishInProgress(ConflictError):
    """Another worker holds this content's record: try again once it is done."""

    default_code = "publish_in_progress"
    transient = True
    retry_after = 30.0


def marker(token: str) -> str:
    """What a created post's content carries so an unknown create can be found."""
    return f"<!-- flowline:{token} -->"


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


def publish_start(
    *,
    account_id: int,
    content_ids: list[int],
    integration_id: int | None = None,
    post_status: str = "",
    user_id: int | None = None,
    idempotency_key: str | None = None,
):
    """Queue an `integration.publish` job for the account's content (404 naming unknown
    ids before anything starts)."""
    from flowline.jobs.services import job_start

    sites = content_source.site_ids(account_id=account_id, content_ids=content_ids)
    missing = [content_id for content_id in content_ids if content_id not in sites]
    if missing:
        raise NotFoundError("Content not found.", errors={"content_ids": missing})
    for content_id in content_ids:  # refuse now what the job would refuse later
        integration_for(
            account_id=account_id, site_id=sites[content_id], integration_id=integration_id
        )
    return job_start(
        kind="integration.publish",
        account_id=account_id,
        user_id=user_id,
        payload={
            "content_ids": content_ids,
            "integration_id": integration_id,
            "post_status": post_status,
        },
        idempotency_key=idempotency_key,
    )


def content_publish(
    *,
    account_id: int,
    content_id: int,
    integration: SiteIntegration,
    post_status: str | None = None,
) -> PublishRecord:
    """Publish (or re-publish) one content to `integration`; returns its record.

    Raises PublishInProgress (409, transient) while another worker publishes the same
    content there, and the WordPress errors (`transient` ones are worth a retry).
    """
    content = content_source.load(account_id=account_id, content_id=content_id)
    if content.site_id != integration.site_id:
        raise ApplicationError(
            "The content belongs to another site than this integration.", code="site_mismatch"
        )
    record = _claim(integration, content)
    try:
        with client_for(integration) as wp:
            post = _send(wp, record, integration, content, post_status)
    except errors.UnknownOutcome as exc:
        _release(record, PublishRecord.Status.UNKNOWN, exc)
        raise
    except Exception as exc:
        _release(record, PublishRecord.Status.FAILED, exc)
        if not getattr(exc, "transient", False):
            _emit_failed(record, exc)
        raise
    return _published(record, integration, post)


def _claim(integration: SiteIntegration, content: PublishableContent) -> PublishRecord:
    """Take the record for this attempt (a lease, so a dead worker's claim runs out)."""
    record, _ = PublishRecord.unscoped.get_or_create(
        integration=integration,
        content_id=content.id,
        defaults={"account_id": integration.account_id, "site_id": integration.site_id},
    )
    now = timezone.now()
    claimed = (
        PublishRecord.unscoped.filter(id=record.id)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(
            status=PublishRecord.Status.PUBLISHING,
            lease_until=now + LEASE,
            attempts=F("attempts") + 1,
        )
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
) -> dict:
    html, featured_id = _upload_images(wp, record, content)
    term_ids: dict[str, list[int]] = {"categories": [], "tags": []}
    for term in content.terms:
        term_ids[term.kind].append(wp.ensure_term(term.kind, name=term.name, slug=term.slug))
    fields = {
        "title": content.title,
        "content": html,
        "excerpt": content.excerpt,
        "slug": content.slug,
        "status": post_status or integration.post_status,
        "categories": term_ids["categories"],
        "tags": term_ids["tags"],
        "featured_media": featured_id,
        "meta": {
            "flowline_content_id": str(content.id),
            "flowline_meta_title": content.meta_title,
            "flowline_meta_description": content.meta_description,
        },
    }
    if record.external_id:
        try:
            return wp.update_post(int(record.external_id), fields)
        except errors.WordPressNotFound:
            logger.info("Post %s is gone from %s; publishing anew", record.external_id, wp.root)
    if record.attempt_token:
        # An earlier create may have reached WordPress: find it before sending another.
        found = wp.find_post(marker=marker(record.attempt_token))
        if found is not None:
            return wp.update_post(
                int(found["id"]), {**fields, "content": html + marker(record.attempt_token)}
            )
    else:
        record.attempt_token = uuid.uuid4().hex
        PublishRecord.unscoped.filter(id=record.id).update(attempt_token=record.attempt_token)
    return wp.create_post({**fields, "content": html + marker(record.attempt_token)})


def _upload_images(
    wp: WordPressClient, record: PublishRecord, content: PublishableContent
) -> tuple[str, int]:
    """Upload the images not uploaded before; returns the HTML pointing at WordPress's
    copies and the featured image's media id."""
    html, featured_id, uploaded = content.html, 0, dict(record.media)
    for index, image in enumerate(content.images):
        media = uploaded.get(image.name)
        if media is None:
            answer = wp.upload_media(
                filename=posixpath.basename(image.name),
                data=image.read(),
                mime_type=image.mime_type,
                alt_text=image.alt_text,
            )
            media = {"id": int(answer["id"]), "url": answer.get("source_url", "")}
            uploaded[image.name] = media
            # Kept at once: a retry after a later failure does not upload it again.
            PublishRecord.unscoped.filter(id=record.id).update(media=uploaded)
        if image.kind == "featured":
            featured_id = media["id"]
        else:
            html = _place_image(html, image, media["url"], index)
    record.media = uploaded
    return html, featured_id


def _place_image(html: str, image: PublishableImage, url: str, ordinal: int) -> str:
    """Point the article's <img> of this image at WordPress's copy; an image the HTML
    does not show yet goes before a later section heading (or at the end)."""
    found = False

    def swap(match: re.Match) -> str:
        nonlocal found
        src = html_lib.unescape(match.group(3))
        if src == image.url or src.endswith("/" + image.name) or src == image.name:
            found = True
            return f"{match.group(1)}{match.group(2)}{url}{match.group(2)}"
        return match.group(0)

    replaced = _IMG_SRC.sub(swap, html)
    if found:
        return replaced
    caption = f"<figcaption>{html_lib.escape(image.caption)}</figcaption>" if image.caption else ""
    figure = (
        f'<figure class="wp-block-image"><img src="{html_lib.escape(url)}" '
        f'alt="{html_lib.escape(image.alt_text)}"/>{caption}</figure>'
    )
    headings = list(_H2.finditer(html))
    if len(headings) > ordinal + 1:
        at = headings[ordinal + 1].start()
        return html[:at] + figure + html[at:]
    return html + figure


def _release(record: PublishRecord, status: str, exc: Exception) -> None:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    code = str(getattr(exc, "code", "") or type(exc).__name__)
    PublishRecord.unscoped.filter(id=record.id).update(
        status=status, lease_until=None, error=message[:500], error_code=code[:64]
    )
    record.refresh_from_db()
    event_log(
        record.integration,
        SyncEvent.Kind.PUBLISH,
        success=False,
        message=message,
        details={"content_id": record.content_id, "code": code},
    )


def _published(record: PublishRecord, integration: SiteIntegration, post: dict) -> PublishRecord:
    from flowline.webhooks.public import emit
    from flowline.writer.public import mark_published

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
            remote={"status": post_status, "link": url, "slug": post.get("slug", "")},
            updated_at=now,
        )
        record.refresh_from_db()
        if post_status in LIVE_STATUSES:
            mark_published(
                content_id=record.content_id,
                external_id=record.external_id,
                url=url,
                published_at=now,
            )
        emit(
            account_id=record.account_id,
            event_type="content.published",
            payload=_payload(record),
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
        payload={**_payload(record), "error": record.error, "error_code": record.error_code},
    )


def _payload(record: PublishRecord) -> dict:
    return {
        "record_id": record.id,
        "content_id": record.content_id,
        "site_id": record.site_id,
        "integration_id": record.integration_id,
        "post_id": record.external_id,
        "url": record.url,
        "post_status": record.post_status,
    }
