"""Reads of the integration app that need care (aggregates)."""

from __future__ import annotations

from django.db.models import Count

from flowline.integration.models import PublishQueueItem, PublishRecord, SiteIntegration


def debug_status(integration: SiteIntegration) -> dict:
    """Sync state, records and queue items counted by status, the last ten events."""

    def by_status(queryset) -> dict[str, int]:
        rows = queryset.values("status").annotate(n=Count("id")).order_by()
        return {row["status"]: row["n"] for row in rows}

    return {
        "sync_status": integration.sync_status,
        "last_sync_at": integration.last_sync_at,
        "last_error": integration.last_error,
        "records": by_status(PublishRecord.objects.filter(integration=integration)),
        "queue": by_status(PublishQueueItem.objects.filter(integration=integration)),
        "recent_events": list(integration.events.all()[:10]),
    }


def site_has_active_integration(*, account_id: int, site_id: int) -> bool:
    """Whether the site has an active integration to publish to (asked by automation runs)."""
    return SiteIntegration.objects.filter(
        account_id=account_id, site_id=site_id, is_active=True
    ).exists()
