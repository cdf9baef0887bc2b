"""Metrics of published targets, fetched from each platform and kept on the target
(`PostTarget.metrics`, e.g. {"reach": 120, "engagement": 9}); campaigns add them up."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from flowline.core import tenancy
from flowline.posts.conf import setting
from flowline.posts.models import PostTarget
from flowline.social import public as social

logger = logging.getLogger("flowline.posts")
BATCH = 50  # ids per platform call (X takes 100, Graph 50)


def metrics_due(now: datetime):
    """Published targets of the last days whose metrics are missing or old."""
    stale = now - timedelta(seconds=setting("FLOWLINE_POSTS_METRICS_SECONDS"))
    return PostTarget.unscoped.filter(
        Q(metrics_updated_at__isnull=True) | Q(metrics_updated_at__lt=stale),
        status=PostTarget.Status.PUBLISHED,
        published_at__gte=now - timedelta(days=setting("FLOWLINE_POSTS_METRICS_DAYS")),
        social_account__status="active",
    ).exclude(external_id="")


def metrics_fetch(*, now: datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Fetch and store metrics for due targets, one batch per social account. A platform
    that fails is left for the next run; the others go on."""
    now = now or timezone.now()
    by_account: dict[int, list[PostTarget]] = defaultdict(list)
    for target in metrics_due(now).select_related("social_account")[:limit]:
        by_account[target.social_account_id].append(target)
    counts = {"updated": 0, "failed_accounts": 0}
    for targets in by_account.values():
        account = targets[0].social_account
        with tenancy.tenant_scope(account.account_id):
            adapter = social.adapter_for(account)
            for start in range(0, len(targets), BATCH):
                chunk = targets[start : start + BATCH]
                try:
                    found = adapter.fetch_metrics([t.external_id for t in chunk])
                except social.AuthorizationError as exc:
                    social.report_authorization_error(account, exc)
                    counts["failed_accounts"] += 1
                    break
                except social.PlatformError:
                    logger.warning("Metrics of %s not fetched", account, exc_info=True)
                    counts["failed_accounts"] += 1
                    break
                for target in chunk:
                    values = found.get(target.external_id)
                    if values is None:
                        continue
                    PostTarget.unscoped.filter(id=target.id).update(
                        metrics=values, metrics_updated_at=now
                    )
                    counts["updated"] += 1
    return counts
