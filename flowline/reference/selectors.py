"""Reads of the reference data the public API lists: active industries with their
sectors, active seed keywords with their industry and sector."""

from __future__ import annotations

from django.db.models import QuerySet

from flowline.reference.models import Industry, SeedKeyword


def industries_for_list() -> QuerySet:
    """Active industries, each with its sectors prefetched."""
    return Industry.objects.filter(is_active=True).prefetch_related("sectors")


def seed_keywords_for_list() -> QuerySet:
    """Active seed keywords, each with its industry and sector joined."""
    return SeedKeyword.objects.filter(is_active=True).select_related("industry", "sector")
