"""Connecting a site to WordPress: saving credentials, testing them, reading the site's
structure and reconciling what it says about the posts we published."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from flowline.core.errors import ApplicationError, ConflictError
from flowline.integration.models import PublishRecord, SiteIntegration, SyncEvent
from flowline.integration.services import remote
from flowline.integration.wordpress import errors
from flowline.integration.wordpress.client import Credentials, WordPressClient, check_base_url

# How many pages of posts `content_sync` reads at most (50 posts a page).
CONTENT_SYNC_MAX_PAGES = 20


def new_webhook_secret() -> str:
    return f"wpsec_{secrets.token_urlsafe(32)}"


def client_for(integration: SiteIntegration) -> WordPressClient:
    """A client on the integration's site (its URL checked again: it is being used)."""
    return WordPressClient(
        Credentials(integration.base_url, integration.username, integration.app_password)
    )


def integration_create(*, site, base_url: str, username: str, app_password: str, **fields):
    """Connect `site` to its WordPress; one integration per site and platform (409)."""
    check_base_url(base_url)
    platform = fields.get("platform", SiteIntegration.Platform.WORDPRESS)
    if SiteIntegration.objects.filter(site=site, platform=platform).exists():
        raise ConflictError(
            "This site already has a WordPress integration.",
            code="integration_exists",
            errors={"site": ["This site already has a WordPress integration."]},
        )
    return SiteIntegration.objects.create(
        site=site,
        base_url=_normalise(base_url),
        username=username,
        app_password=_password(app_password),
        webhook_secret=new_webhook_secret(),
        **fields,
    )


def integration_update(*, integration: SiteIntegration, **fields) -> SiteIntegration:
    """Change the connection; a new URL is checked, an empty password keeps the old one."""
    if "base_url" in fields:
        check_base_url(fields["base_url"])
        fields["base_url"] = _normalise(fields["base_url"])
    if "app_password" in fields:
        if fields["app_password"]:
            fields["app_password"] = _password(fields["app_password"])
        else:
            fields.pop("app_password")
    if "site" in fields and fields["site"].id != integration.site_id:
        raise ApplicationError(
            "An integration cannot move to another site.", errors={"site": ["Cannot change."]}
        )
    for name, value in fields.items():
        setattr(integration, name, value)
    integration.save()
    return integration


def integration_rotate_secret(*, integration: SiteIntegration) -> SiteIntegration:
    """A new webhook signing secret; the old one stops at once."""
    integration.webhook_secret = new_webhook_secret()
    integration.save(update_fields=["webhook_secret", "updated_at"])
    return integration


def connection_check(credentials: Credentials) -> dict:
    """Sign in to the site with the credentials; raises a WordPressError when it fails."""
    with WordPressClient(credentials) as wp:
        me = wp.me()
    return {
        "connected": True,
        "user": {"id": me.get("id"), "name": me.get("name"), "roles": me.get("roles", [])},
    }


def integration_test(*, integration: SiteIntegration) -> dict:
    """`test_connection`: the answer, logged; the integration notes the last error."""
    try:
        result = connection_check(
            Credentials(integration.base_url, integration.username, integration.app_password)
        )
    except errors.WordPressError as exc:
        event_log(integration, SyncEvent.Kind.TEST, success=False, message=exc.message)
        SiteIntegration.objects.filter(id=integration.id).update(last_error=exc.message[:500])
        raise
    event_log(integration, SyncEvent.Kind.TEST, message="Connected.")
    SiteIntegration.objects.filter(id=integration.id).update(last_error="")
    return result


def integration_sync(*, integration: SiteIntegration) -> SiteIntegration:
    """Read the site's post types, categories and tags into `structure`."""
    claimed = (
        SiteIntegration.objects.filter(id=integration.id)
        .exclude(sync_status=SiteIntegration.SyncStatus.SYNCING)
        .update(sync_status=SiteIntegration.SyncStatus.SYNCING)
    )
    if not claimed:
        raise ConflictError("A sync of this integration is running.", code="sync_in_progress")
    try:
        with client_for(integration) as wp:
            types = wp.types()
            categories = wp.terms("categories")
            tags = wp.terms("tags")
    except (errors.WordPressError, ApplicationError) as exc:
        _finish_sync(integration, error=exc.message)
        raise
    except Exception:
        _finish_sync(integration, error="The sync stopped unexpectedly.")
        raise
    structure = {
        "post_types": {
            slug: {
                "name": info.get("name", slug),
                "rest_base": info.get("rest_base", ""),
                "taxonomies": info.get("taxonomies", []),
            }
            for slug, info in (types or {}).items()
            if slug != "attachment"
        },
        "categories": [_term(row) for row in categories],
        "tags": [_term(row) for row in tags],
        "synced_at": timezone.now().isoformat(),
    }
    _finish_sync(integration, structure=structure)
    integration.refresh_from_db()
    return integration


def integration_update_structure(*, integration: SiteIntegration, structure: dict):
    """What the site reports about itself (its plugin calls `update-structure`)."""
    merged = {**integration.structure, **structure}
    integration.structure = merged
    integration.save(update_fields=["structure", "updated_at"])
    event_log(integration, SyncEvent.Kind.STRUCTURE, message="Structure updated.")
    return integration


def content_types(integration: SiteIntegration) -> list[dict]:
    """The post types the site can receive, from the last sync or structure update."""
    types = integration.structure.get("post_types") or {}
    return [{"slug": slug, **info} for slug, info in sorted(types.items())]


def integration_sync_content(*, integration: SiteIntegration) -> dict:
    """`sync_wordpress_content`: read the site's posts and bring our publish records up
    to date (status, link, title); records whose post is gone are marked so."""
    records = {
        r.external_id: r
        for r in PublishRecord.objects.filter(integration=integration).exclude(external_id="")
    }
    seen: set[str] = set()
    updated = 0
    try:
        with client_for(integration) as wp:
            page, pages = 1, 1
            while page <= min(pages, CONTENT_SYNC_MAX_PAGES):
                rows, pages = wp.posts_page(page=page)
                for row in rows:
                    record = records.get(str(row.get("id")))
                    if record is None:
                        continue
                    seen.add(record.external_id)
                    updated += _reconcile(record, row)
                page += 1
    except errors.WordPressError as exc:
        event_log(integration, SyncEvent.Kind.CONTENT_SYNC, success=False, message=exc.message)
        raise
    complete = pages <= CONTENT_SYNC_MAX_PAGES
    missing = [r for key, r in records.items() if key not in seen] if complete else []
    for record in missing:
        record.remote = {**record.remote, "status": "missing"}
        record.post_status = "missing"  # deleted, or in the trash (not listed)
        record.save(update_fields=["remote", "post_status", "updated_at"])
        remote.follow_post_status(record)
    result = {
        "posts_read": min(pages, CONTENT_SYNC_MAX_PAGES),
        "records": len(records),
        "updated": updated,
        "missing": len(missing),
    }
    event_log(integration, SyncEvent.Kind.CONTENT_SYNC, message="Content synced.", details=result)
    return result


def _reconcile(record: PublishRecord, row: dict) -> int:
    """The record (and the writer's content) follow the post; a change made on WordPress
    since Flowline's last write is noted (`conflict`)."""
    state = {
        **record.remote,
        "status": row.get("status", ""),
        "title": (row.get("title") or {}).get("raw") or (row.get("title") or {}).get("rendered"),
        "slug": row.get("slug", ""),
        "link": row.get("link", ""),
        "modified_gmt": row.get("modified_gmt", ""),
    }
    conflict = remote.changes_since(record, row) or record.conflict
    if state == record.remote and conflict == record.conflict:
        return 0
    record.remote, record.conflict = state, conflict
    record.post_status = state["status"] or record.post_status
    record.url = state["link"] or record.url
    record.save(update_fields=["remote", "post_status", "url", "conflict", "updated_at"])
    remote.follow_post_status(record)
    return 1


def _finish_sync(integration, *, structure: dict | None = None, error: str = "") -> None:
    fields = {"last_sync_at": timezone.now(), "last_error": error[:500]}
    if error:
        fields["sync_status"] = SiteIntegration.SyncStatus.FAILED
    else:
        fields.update(sync_status=SiteIntegration.SyncStatus.SUCCESS, structure=structure)
    with transaction.atomic():
        SiteIntegration.objects.filter(id=integration.id).update(**fields)
        event_log(integration, SyncEvent.Kind.SYNC, success=not error, message=error or "Synced.")


def event_log(integration, kind: str, *, success: bool = True, message: str = "", details=None):
    return SyncEvent.unscoped.create(
        account_id=integration.account_id,
        integration=integration,
        kind=kind,
        success=success,
        message=message[:500],
        details=details or {},
    )


def _term(row: dict) -> dict:
    return {"id": row.get("id"), "name": row.get("name", ""), "slug": row.get("slug", "")}


def _normalise(url: str) -> str:
    return url.strip().rstrip("/")


def _password(value: str) -> str:
    # WordPress shows application passwords in groups of four; it ignores the spaces.
    return value.strip()
