"""Numbers the platforms report (followers, reach), written by the social apps."""

from __future__ import annotations

from datetime import date

from flowline.analytics.models import Platform, PlatformMetric
from flowline.core.errors import ApplicationError


def platform_metric_record(
    *,
    account_id: int,
    platform: str,
    day: date,
    site_id: int | None = None,
    followers: int | None = None,
    reach: int | None = None,
    impressions: int | None = None,
    engagement: int | None = None,
) -> PlatformMetric:
    """Set what `platform` reported for `day` (per site when given); fields left None keep
    their stored value, so a platform reporting followers and reach separately is fine."""
    if platform not in Platform.values:
        raise ApplicationError(f"Unknown platform {platform!r}.", code="invalid_platform")
    values = {
        name: value
        for name, value in {
            "followers": followers,
            "reach": reach,
            "impressions": impressions,
            "engagement": engagement,
        }.items()
        if value is not None
    }
    metric, _ = PlatformMetric.unscoped.update_or_create(
        account_id=account_id, date=day, site_id=site_id, platform=platform, defaults=values
    )
    return metric
