"""What other apps may ask of sites."""

from flowline.sites.models import SiteUserAccess


def granted_site_ids(account_id: int, user_id: int) -> list[int]:
    """Ids of the sites a site-restricted member of `account_id` was granted."""
    return list(
        SiteUserAccess.unscoped.filter(account_id=account_id, user_id=user_id).values_list(
            "site_id", flat=True
        )
    )


def accessible_sites(ctx) -> list[dict]:
    """The sites the acting member can reach, as small dicts for `auth/me/`."""
    from flowline.sites.models import Site

    queryset = Site.unscoped.filter(account_id=ctx.account_id)
    if ctx.site_ids is not None:
        queryset = queryset.filter(id__in=ctx.site_ids)
    rows = queryset.order_by("id").values("id", "name", "slug", "url", "status")
    return [dict(row) for row in rows]


def existing_site_ids(account_id: int, site_ids: list[int]) -> set[int]:
    """Which of `site_ids` are sites of `account_id`."""
    from flowline.sites.models import Site

    return set(
        Site.unscoped.filter(account_id=account_id, id__in=site_ids).values_list("id", flat=True)
    )


def grant_sites(*, account_id: int, user_id: int, site_ids: list[int], granted_by_id) -> None:
    """Grant a site-restricted member the sites of `site_ids` that still exist (sites
    deleted since an invitation was sent are left out)."""
    SiteUserAccess.unscoped.bulk_create(
        SiteUserAccess(
            account_id=account_id, user_id=user_id, site_id=site_id, granted_by_id=granted_by_id
        )
        for site_id in existing_site_ids(account_id, site_ids)
    )


def site_count(account_id: int) -> int:
    """The account's sites, for the plan's max_sites."""
    from flowline.sites.models import Site

    return Site.unscoped.filter(account_id=account_id).count()


def site_find(site_id):
    """A site of the active account (scoped), or None."""
    from flowline.sites.models import Site

    return Site.objects.filter(id=site_id).first()


def site_ids_in_scope(site_ids) -> frozenset[int]:
    """Which of `site_ids` are sites of the active account (scoped)."""
    from flowline.sites.models import Site

    return frozenset(Site.objects.filter(pk__in=site_ids).values_list("pk", flat=True))


def sector_labels(limit: int = 500) -> list[tuple[int, str]]:
    """The active member's sectors as (id, "Site · Sector"), for a filter or a form's
    choice; scoped (account and granted sites) as the API's sector list is, in one query."""
    from flowline.sites.models import Sector

    rows = Sector.objects.order_by("name", "id").values_list("id", "site__name", "name")
    return [(sector_id, f"{site} · {name}") for sector_id, site, name in rows[:limit]]
