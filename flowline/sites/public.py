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
    return list(queryset.order_by("id").values("id", "name", "slug", "url", "status"))


def sector_labels(limit: int = 500) -> list[tuple[int, str]]:
    """The active member's sectors as (id, "Site · Sector"), for a filter or a form's
    choice; scoped (account and granted sites) as the API's sector list is, in one query."""
    from flowline.sites.models import Sector

    rows = Sector.objects.order_by("name", "id").values_list("id", "site__name", "name")
    return [(sector_id, f"{site} · {name}") for sector_id, site, name in rows[:limit]]
