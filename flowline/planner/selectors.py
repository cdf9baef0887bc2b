"""Reads of the planner: what lists, details and exports load (and with which joins)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import F, QuerySet


def keywords_for_list(queryset: QuerySet) -> QuerySet:
    """Keywords with their cluster's and sector's names in the same query."""
    return queryset.select_related("cluster", "sector")


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
