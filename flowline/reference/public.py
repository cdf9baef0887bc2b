"""What other apps may ask of the reference data: industries, their sectors and seed
keywords, shared by every account and read-only (sites picks sectors from it, the
planner adds seed keywords)."""

from __future__ import annotations

from flowline.reference.models import Industry, IndustrySector, SeedKeyword


def industry_find(slug: str) -> Industry | None:
    """The active industry of that slug, or None."""
    return Industry.objects.filter(slug=slug, is_active=True).first()


def industry_sectors(*, industry: Industry, slugs: list[str]) -> list[IndustrySector]:
    """The industry's sectors among `slugs` (unknown slugs are left out)."""
    return list(IndustrySector.objects.filter(industry=industry, slug__in=slugs))


def seed_keywords_active(ids: list[int], *, sector_id: int | None = None) -> list[SeedKeyword]:
    """The active seed keywords among `ids`, of one industry sector when given."""
    seeds = SeedKeyword.objects.filter(id__in=ids, is_active=True)
    if sector_id:
        seeds = seeds.filter(sector_id=sector_id)
    return list(seeds)
