"""Writing keywords: create, change, delete, statuses, adding from the seed library; and
the cluster totals every one of these keeps right in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from flowline.billing import public as billing
from flowline.core import tenancy
from flowline.core.errors import ApplicationError
from flowline.planner.models import Cluster, Keyword, normalize_keyword
from flowline.reference import public as reference

if TYPE_CHECKING:  # annotations only: planner reaches sites through its public.py
    from flowline.sites.models import Sector, Site

_CHUNK = 500


def clusters_refresh_totals(cluster_ids: Iterable[int | None]) -> None:
    """Recompute `keywords_count` and `volume` of these clusters from their keywords.

    Recomputed rather than incremented, so a retried or concurrent change can never
    leave a total drifting; callers run it in the transaction that moved the keywords.
    """
    ids = sorted({cluster_id for cluster_id in cluster_ids if cluster_id})
    members = Keyword.unscoped.filter(cluster_id=OuterRef("pk")).order_by().values("cluster_id")
    count = members.annotate(n=Count("id")).values("n")
    volume = members.annotate(v=Sum("volume")).values("v")
    for start in range(0, len(ids), _CHUNK):
        Cluster.unscoped.filter(id__in=ids[start : start + _CHUNK]).update(
            keywords_count=Coalesce(Subquery(count), 0),
            volume=Coalesce(Subquery(volume), 0),
            updated_at=timezone.now(),
        )


def account_keyword_count(account_id: int) -> int:
    """Keywords of the whole account (a member restricted to some sites sees fewer, but the
    plan limit counts them all)."""
    return Keyword.unscoped.filter(account_id=account_id).count()


def check_sector(*, site: Site | None, sector: Sector) -> Site:
    """The site `sector` belongs to; 400 when `site` is given and is another one."""
    if site is not None and sector.site_id != site.id:
        raise ApplicationError(
            "This sector belongs to another site.",
            errors={"sector_id": ["Not a sector of this site."]},
        )
    return site or sector.site


def _duplicate() -> ApplicationError:
    return ApplicationError(
        "This keyword is already in this sector.",
        code="duplicate",
        errors={"keyword": ["Already in this sector."]},
    )


def _check_cluster(cluster: Cluster | None, sector: Sector) -> None:
    if cluster is not None and cluster.sector_id != sector.id:
        raise ApplicationError(
            "The cluster belongs to another sector.",
            errors={"cluster_id": ["Not a cluster of this sector."]},
        )


def _save(keyword: Keyword) -> None:
    try:
        with transaction.atomic():
            keyword.save()
    except IntegrityError as exc:
        raise _duplicate() from exc


@transaction.atomic
def keyword_create(*, sector: Sector, keyword: str, site: Site | None = None, **fields) -> Keyword:
    """A keyword in `sector`, unique there (case and spacing ignored), within the plan's
    `max_keywords`."""
    account_id = tenancy.require().account_id
    site = check_sector(site=site, sector=sector)
    _check_cluster(fields.get("cluster"), sector)
    billing.check_limit(
        account_id=account_id, limit="max_keywords", current=account_keyword_count(account_id)
    )
    if Keyword.objects.filter(sector=sector, normalized=normalize_keyword(keyword)).exists():
        raise _duplicate()
    row = Keyword(site=site, sector=sector, keyword=" ".join(keyword.split()), **fields)
    _save(row)
    clusters_refresh_totals([row.cluster_id])
    return row


@transaction.atomic
def keyword_update(*, instance: Keyword, **fields) -> Keyword:
    """Change a keyword; moving it between clusters or changing its volume updates both
    clusters' totals."""
    before = instance.cluster_id
    sector = fields.get("sector", instance.sector)
    site = fields.get("site") if ("site" in fields or "sector" in fields) else instance.site
    fields["site"] = check_sector(site=site, sector=sector)
    if "cluster" in fields:
        _check_cluster(fields["cluster"], sector)
    elif "sector" in fields and instance.cluster_id and instance.cluster.sector_id != sector.id:
        fields["cluster"] = None
    if "keyword" in fields:
        fields["keyword"] = " ".join(fields["keyword"].split())
    for name, value in fields.items():
        setattr(instance, name, value)
    normalized = normalize_keyword(instance.keyword)
    if (
        Keyword.objects.filter(sector=instance.sector, normalized=normalized)
        .exclude(id=instance.id)
        .exists()
    ):
        raise _duplicate()
    _save(instance)
    clusters_refresh_totals([before, instance.cluster_id])
    return instance


@transaction.atomic
def keywords_delete(*, keyword_ids: list[int]) -> int:
    """Delete the active account's keywords with these ids; their clusters' totals follow."""
    rows = Keyword.objects.filter(id__in=keyword_ids)
    clusters = set(rows.values_list("cluster_id", flat=True))
    deleted, _ = rows.delete()
    clusters_refresh_totals(clusters)
    return deleted


@transaction.atomic
def keywords_set_status(*, keyword_ids: list[int], status: str) -> int:
    return Keyword.objects.filter(id__in=keyword_ids).update(
        status=status, updated_at=timezone.now()
    )


@transaction.atomic
def keywords_add_from_seed(
    *, sector: Sector, seed_keyword_ids: list[int], site: Site | None = None
) -> tuple[list[Keyword], list[int]]:
    """Copy seed keywords (with their volume, difficulty and intent) into `sector`.

    Seeds must be active and, when the sector was chosen from an industry, of that
    industry sector. Seeds already in the sector are skipped and returned as such.
    """
    account_id = tenancy.require().account_id
    site = check_sector(site=site, sector=sector)
    seeds = reference.seed_keywords_active(seed_keyword_ids, sector_id=sector.industry_sector_id)
    unknown = sorted(set(seed_keyword_ids) - {seed.id for seed in seeds})
    if unknown:
        raise ApplicationError(
            "Unknown seed keywords for this sector.",
            errors={"seed_keyword_ids": unknown},
        )
    existing = set(
        Keyword.objects.filter(
            sector=sector, normalized__in=[normalize_keyword(seed.keyword) for seed in seeds]
        ).values_list("normalized", flat=True)
    )
    new, skipped = [], []
    for seed in seeds:
        normalized = normalize_keyword(seed.keyword)
        if normalized in existing:
            skipped.append(seed.id)
            continue
        existing.add(normalized)
        new.append(
            Keyword(
                account_id=account_id,
                site=site,
                sector=sector,
                seed_keyword=seed,
                keyword=" ".join(seed.keyword.split()),
                normalized=normalized,
                volume=seed.volume,
                difficulty=min(seed.difficulty, 100),
                intent=seed.intent,
            )
        )
    billing.check_limit(
        account_id=account_id,
        limit="max_keywords",
        current=account_keyword_count(account_id),
        adding=len(new),
    )
    try:
        with transaction.atomic():
            Keyword.objects.bulk_create(new)
    except IntegrityError as exc:  # a concurrent request added one of them meanwhile
        raise ApplicationError(
            "Some of these keywords were added meanwhile; try again.", code="conflict", status=409
        ) from exc
    return new, skipped
