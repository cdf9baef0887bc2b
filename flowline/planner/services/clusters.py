"""Writing clusters by hand (the automatic ones come from `clustering`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from flowline.billing import public as billing
from flowline.core import tenancy
from flowline.planner.models import Cluster, Keyword
from flowline.planner.services.keywords import check_sector

if TYPE_CHECKING:  # annotations only: planner reaches sites through its public.py
    from flowline.sites.models import Sector, Site


def check_cluster_limit(*, account_id: int, adding: int) -> None:
    """402 when `adding` clusters would go past the plan's `max_clusters`."""
    billing.check_limit(
        account_id=account_id,
        limit="max_clusters",
        current=Cluster.unscoped.filter(account_id=account_id).count(),
        adding=adding,
    )


@transaction.atomic
def cluster_create(*, sector: Sector, name: str, site: Site | None = None, **fields) -> Cluster:
    account_id = tenancy.require().account_id
    site = check_sector(site=site, sector=sector)
    check_cluster_limit(account_id=account_id, adding=1)
    return Cluster.objects.create(site=site, sector=sector, name=name.strip(), **fields)


@transaction.atomic
def cluster_update(*, cluster: Cluster, **fields) -> Cluster:
    """Change a cluster's name, description or status. Moving it to another sector takes
    its keywords out of it (they stay in their sector); the totals follow."""
    sector = fields.get("sector", cluster.sector)
    site = fields.get("site") if ("site" in fields or "sector" in fields) else cluster.site
    fields["site"] = check_sector(site=site, sector=sector)
    moved = sector.id != cluster.sector_id
    for name, value in fields.items():
        setattr(cluster, name, value)
    cluster.save()
    if moved:
        Keyword.objects.filter(cluster=cluster).update(cluster=None, updated_at=timezone.now())
        cluster.keywords_count, cluster.volume = 0, 0
        cluster.save(update_fields=["keywords_count", "volume"])
    return cluster


@transaction.atomic
def clusters_delete(*, cluster_ids: list[int]) -> int:
    """Delete clusters; their keywords stay, unclustered and pending again."""
    Keyword.objects.filter(cluster_id__in=cluster_ids).update(
        cluster=None, status=Keyword.Status.PENDING, updated_at=timezone.now()
    )
    _, by_model = Cluster.objects.filter(id__in=cluster_ids).delete()
    return by_model.get(Cluster._meta.label, 0)
