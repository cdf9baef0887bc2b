"""Reads of sites: a site's sectors and the per-site access grants."""

from __future__ import annotations

from django.db.models import QuerySet

from flowline.sites.models import Site


def sectors_of_site(*, site: Site) -> QuerySet:
    """The site's sectors, active or not (the model's order)."""
    return site.sectors.all()


def site_access_for_list(queryset: QuerySet) -> QuerySet:
    """Access grants with the member and the site they reach joined (one query a page)."""
    return queryset.select_related("user", "site")
