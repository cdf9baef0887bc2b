"""Campaign reads: lists with their counts, and the metrics of one campaign."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from flowline.campaigns.models import Campaign
from flowline.posts import public as posts

PUBLISHED_POSTS = ("published", "partially_published")


def _count(through, field: str) -> Subquery:
    rows = (
        through.objects.filter(campaign=OuterRef("pk"))
        .values("campaign")
        .annotate(n=Count(field))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def campaigns_for_list(queryset: QuerySet) -> QuerySet:
    """With posts_count and contents_count (subqueries, so bulk deletes can lock rows)
    and the attached ids prefetched."""
    return queryset.annotate(
        posts_count=_count(Campaign.posts.through, "post"),
        contents_count=_count(Campaign.contents.through, "content"),
    ).prefetch_related("posts", "contents")


def campaign_for_detail(*, campaign_id: int) -> Campaign:
    """One campaign as the list shows it (counts and attached ids), read afresh."""
    return campaigns_for_list(Campaign.objects.filter(pk=campaign_id)).get()


def campaign_metrics(campaign: Campaign) -> dict:
    """What the campaign achieved: posts by state, reach and engagement summed from the
    published targets' metrics, per platform, and the attached articles."""
    post_ids = list(campaign.posts.values_list("id", flat=True))
    summaries = posts.posts_for_campaign(account_id=campaign.account_id, post_ids=post_ids)
    totals = posts.metrics_totals(account_id=campaign.account_id, post_ids=post_ids)
    by_platform: dict[str, Counter] = defaultdict(Counter)
    for summary in summaries:
        for target in summary.targets:
            if target.status != "published":
                continue
            row = by_platform[target.platform]
            row["published"] += 1
            for name in ("reach", "engagement"):
                value = target.metrics.get(name, 0)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    row[name] += value
    reach = totals.get("reach", 0)
    engagement = totals.get("engagement", 0)
    contents = Counter(campaign.contents.values_list("status", flat=True))
    return {
        "posts": len(summaries),
        "posts_published": sum(s.status in PUBLISHED_POSTS for s in summaries),
        "posts_by_status": dict(Counter(s.status for s in summaries)),
        "targets_published": totals.get("published_targets", 0),
        "reach": reach,
        "engagement": engagement,
        "engagement_rate": round(engagement / reach, 4) if reach else 0.0,
        "by_platform": {
            platform: {
                "published": row["published"],
                "reach": row["reach"],
                "engagement": row["engagement"],
            }
            for platform, row in sorted(by_platform.items())
        },
        "contents": sum(contents.values()),
        "contents_published": contents.get("published", 0),
    }
