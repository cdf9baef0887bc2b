"""What other apps and pages may ask of campaigns: a campaign as a small frozen summary,
the campaigns a post or an article belongs to, and what a campaign achieved.

Posts and the writer keep no link to campaigns of their own (the campaign holds the
many-to-many), so a page of theirs that shows "in campaign X" asks here, never through
campaigns' models. Every function reads inside the active account's scope
(`core.tenancy`): another account's campaign is not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flowline.campaigns import selectors
from flowline.campaigns.models import Campaign

_FIELDS = ("id", "name", "status", "starts_at", "ends_at")


@dataclass(frozen=True)
class CampaignSummary:
    """A campaign as other apps see it: its name, state and window."""

    id: int
    name: str
    status: str
    starts_at: datetime | None
    ends_at: datetime | None


def campaign_summary(*, campaign_id: int) -> CampaignSummary | None:
    """The active account's campaign `campaign_id`, or None."""
    row = Campaign.objects.filter(id=campaign_id).values(*_FIELDS).first()
    return CampaignSummary(**row) if row else None


def campaigns_containing(
    *, post_id: int | None = None, content_id: int | None = None
) -> list[CampaignSummary]:
    """The campaigns a post (or an article) is attached to, by name."""
    rows = Campaign.objects.all()
    if post_id is not None:
        rows = rows.filter(posts__id=post_id)
    if content_id is not None:
        rows = rows.filter(contents__id=content_id)
    return [CampaignSummary(**row) for row in rows.order_by("name", "id").values(*_FIELDS)]


def campaign_metrics(*, campaign_id: int) -> dict | None:
    """What the campaign achieved (posts by state, reach, engagement, per platform,
    articles), or None when the account has no such campaign."""
    campaign = Campaign.objects.filter(id=campaign_id).first()
    return selectors.campaign_metrics(campaign) if campaign else None
