"""Sites and sectors: creation with unique slugs, sector selection, access grants."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from flowline.billing import public as billing
from flowline.core import media, tenancy
from flowline.core.errors import ApplicationError, ConflictError
from flowline.identity import public as identity
from flowline.reference import public as reference
from flowline.sites.models import Sector, Site, SiteUserAccess


def unique_slug(queryset, text: str, *, exclude_id: int | None = None) -> str:
    """`text` slugified, with -2, -3, ... appended until unused in `queryset`."""
    base = slugify(text)[:180] or "item"
    slug, n = base, 1
    existing = queryset.exclude(id=exclude_id) if exclude_id else queryset
    taken = set(existing.filter(slug__startswith=base).values_list("slug", flat=True))
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _duplicate_slug() -> ApplicationError:
    return ApplicationError(
        "This slug is already used.", code="duplicate", errors={"slug": ["Already used."]}
    )


def _save_unique(instance, **save_kwargs) -> None:
    """Save; a unique slug taken meanwhile by a concurrent request is a 400, not a 500."""
    try:
        with transaction.atomic():
            instance.save(**save_kwargs)
    except IntegrityError as exc:
        raise _duplicate_slug() from exc


def _apply(instance, fields: dict) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


def _store_logo(site: Site, fields: dict, account_id: int) -> None:
    """A new `logo` (a checked image, or None to remove it) is stored under a random
    name; the file it replaces goes once the change commits."""
    if "logo" not in fields:
        return
    logo = fields["logo"]
    media.delete_on_commit([site.logo.name] if site.logo else [])
    fields["logo"] = media.store_image(logo, folder=f"site-logos/{account_id}") if logo else ""


@transaction.atomic
def site_create(**fields) -> Site:
    """A new site in the active account, with a slug unique in the account, within the
    plan's `max_sites`."""
    billing.check_limit(
        account_id=tenancy.require().account_id, limit="max_sites", current=Site.objects.count()
    )
    if not fields.get("slug"):
        fields["slug"] = unique_slug(Site.objects.all(), fields["name"])
    elif Site.objects.filter(slug=fields["slug"]).exists():
        raise _duplicate_slug()
    site = Site()
    _store_logo(site, fields, tenancy.require().account_id)
    _apply(site, fields)
    _save_unique(site)
    return site


@transaction.atomic
def site_update(*, site: Site, **fields) -> Site:
    """Change a site; its slug stays unique in the account."""
    slug = fields.get("slug")
    if slug and Site.objects.filter(slug=slug).exclude(id=site.id).exists():
        raise _duplicate_slug()
    _store_logo(site, fields, site.account_id)
    _apply(site, fields)
    _save_unique(site)
    return site


@transaction.atomic
def sector_create(*, site: Site, **fields) -> Sector:
    """A new sector on `site`, with a slug unique on the site."""
    siblings = Sector.objects.filter(site=site)
    if not fields.get("slug"):
        fields["slug"] = unique_slug(siblings, fields["name"])
    elif siblings.filter(slug=fields["slug"]).exists():
        raise _duplicate_slug()
    sector = Sector(site=site, **fields)
    _save_unique(sector)
    return sector


@transaction.atomic
def sector_update(*, sector: Sector, **fields) -> Sector:
    """Change a sector (possibly moving it to another site); its slug stays unique there."""
    site = fields.get("site", sector.site)
    slug = fields.get("slug", sector.slug)
    if Sector.objects.filter(site=site, slug=slug).exclude(id=sector.id).exists():
        raise _duplicate_slug()
    _apply(sector, fields)
    _save_unique(sector)
    return sector


@transaction.atomic
def sectors_select(*, site: Site, industry_slug: str, sector_slugs: list[str]) -> list[Sector]:
    """Set the site's industry and make exactly the chosen industry sectors active on it."""
    industry = reference.industry_find(industry_slug)
    if industry is None:
        raise ApplicationError(
            "Unknown industry.", code="invalid", errors={"industry_slug": ["Unknown industry."]}
        )
    chosen = reference.industry_sectors(industry=industry, slugs=sector_slugs)
    unknown = sorted(set(sector_slugs) - {row.slug for row in chosen})
    if unknown:
        raise ApplicationError(
            "Unknown sectors for this industry.", code="invalid", errors={"sector_slugs": unknown}
        )
    site.industry = industry
    site.save(update_fields=["industry", "updated_at"])
    existing = {row.industry_sector_id: row for row in Sector.objects.filter(site=site)}
    for industry_sector in chosen:
        sector = existing.get(industry_sector.id)
        if sector is None:
            sector_create(
                site=site,
                industry_sector=industry_sector,
                name=industry_sector.name,
                slug=industry_sector.slug,
            )
        elif not sector.is_active:
            sector.is_active = True
            sector.save(update_fields=["is_active", "updated_at"])
    chosen_ids = {row.id for row in chosen}
    Sector.objects.filter(site=site, industry_sector__isnull=False).exclude(
        industry_sector_id__in=chosen_ids
    ).update(is_active=False)
    return list(Sector.objects.filter(site=site, is_active=True))


def site_set_active(*, site: Site, user_id: int) -> None:
    """Remember `site` as the member's current site in this account."""
    identity.member_active_site_set(user_id=user_id, site_id=site.id)


@transaction.atomic
def site_access_grant(
    *, user_id: int, site: Site, granted_by_id: int
) -> tuple[SiteUserAccess, bool]:
    """Give a member access to `site`; granting it again answers the existing grant."""
    ctx = tenancy.require()
    if not identity.is_member(user_id):
        raise ApplicationError(
            "This user is not a member of the account.",
            code="invalid",
            errors={"user": ["Not a member of this account."]},
        )
    return SiteUserAccess.objects.get_or_create(
        user_id=user_id,
        site=site,
        defaults={"granted_by_id": granted_by_id, "account_id": ctx.account_id},
    )


@transaction.atomic
def site_access_update(
    *, access: SiteUserAccess, user_id: int, site: Site, granted_by_id: int
) -> SiteUserAccess:
    """Point a grant at another member or site (003 `PUT auth/site-access/{id}/`). The
    editor becomes its granter; a grant that would duplicate an existing one is a 409."""
    if not identity.is_member(user_id):
        raise ApplicationError(
            "This user is not a member of the account.",
            code="invalid",
            errors={"user": ["Not a member of this account."]},
        )
    clash = SiteUserAccess.objects.filter(user_id=user_id, site=site).exclude(id=access.id)
    if clash.exists():
        raise ConflictError("This member already has access to this site.", code="duplicate")
    access.user_id, access.site, access.granted_by_id = user_id, site, granted_by_id
    try:
        with transaction.atomic():
            access.save(update_fields=["user", "site", "granted_by", "updated_at"])
    except IntegrityError as exc:  # granted concurrently
        raise ConflictError(
            "This member already has access to this site.", code="duplicate"
        ) from exc
    return access
