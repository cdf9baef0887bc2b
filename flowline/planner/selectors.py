"""Reads of the planner: what lists, details and exports load (and with which joins)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Exists, F, OuterRef, QuerySet

from flowline.planner.models import Cluster, ContentIdea, Keyword


def keywords_for_list(queryset: QuerySet) -> QuerySet:
    """Keywords with their cluster's and sector's names in the same query."""
    return queryset.select_related("cluster", "sector")


def keywords_by_ids(ids: list[int]) -> QuerySet:
    """The keywords `ids` of the active account as the list shows them."""
    return keywords_for_list(Keyword.objects.filter(id__in=ids))


def clusters_for_list(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("sector")


def ideas_for_list(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("cluster", "sector")


def keywords_for_export(queryset: QuerySet) -> Iterator[dict]:
    """The export's rows, streamed from the database in chunks."""
    return (
        queryset.order_by("id")
        .annotate(cluster_name=F("cluster__name"))
        .values(
            "id",
            "keyword",
            "volume",
            "difficulty",
            "intent",
            "cpc",
            "status",
            "cluster_name",
            "site_id",
            "sector_id",
            "created_at",
        )
        .iterator(chunk_size=2000)
    )


# What waits for the automation pipeline (asked through `public.py`), read in the
# tenant scope of the run's job (or of the request estimating a run).


def keywords_unclustered(*, account_id: int, site_id: int) -> QuerySet[Keyword]:
    """The site's keywords in no cluster, archived ones left out."""
    return Keyword.objects.filter(
        account_id=account_id, site_id=site_id, cluster__isnull=True
    ).exclude(status=Keyword.Status.ARCHIVED)


def clusters_without_ideas(*, account_id: int, site_id: int) -> QuerySet[Cluster]:
    """The site's active clusters that have no content idea yet."""
    has_ideas = ContentIdea.objects.filter(cluster_id=OuterRef("pk"))
    return Cluster.objects.filter(
        account_id=account_id, site_id=site_id, status=Cluster.Status.ACTIVE
    ).filter(~Exists(has_ideas))


def ideas_new(*, account_id: int, site_id: int) -> QuerySet[ContentIdea]:
    """The site's ideas still `new` (the caller excludes those with a writer task)."""
    return ContentIdea.objects.filter(
        account_id=account_id, site_id=site_id, status=ContentIdea.Status.NEW
    )
