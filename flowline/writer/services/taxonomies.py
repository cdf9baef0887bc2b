"""Categories and tags of a site, filed on content and matched on WordPress when published."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from flowline.core.errors import ApplicationError
from flowline.writer.models import Taxonomy


def _check(taxonomy: Taxonomy) -> None:
    if not taxonomy.slug:
        taxonomy.slug = slugify(taxonomy.name)[:200]
    if not taxonomy.slug:
        raise ApplicationError(
            "The name makes no slug; give one.", errors={"slug": ["This field is required."]}
        )
    parent = taxonomy.parent
    if parent is None:
        return
    errors = []
    if parent.site_id != taxonomy.site_id:
        errors.append("The parent belongs to another site.")
    if taxonomy.taxonomy_type != Taxonomy.Type.CATEGORY or parent.taxonomy_type != "category":
        errors.append("Only categories nest, under a category.")
    if taxonomy.id is not None and parent.id == taxonomy.id:
        errors.append("A category cannot be its own parent.")
    if errors:
        raise ApplicationError(errors[0], errors={"parent": errors})


def _save(taxonomy: Taxonomy) -> Taxonomy:
    _check(taxonomy)
    try:
        with transaction.atomic():
            taxonomy.save()
    except IntegrityError as exc:
        raise ApplicationError(
            "This site already has a term of this type with this slug.",
            code="duplicate",
            errors={"slug": ["Already used on this site."]},
        ) from exc
    return taxonomy


def taxonomy_create(**fields) -> Taxonomy:
    """A category or tag; its slug comes from the name when not given."""
    return _save(Taxonomy(**fields))


def taxonomy_update(*, taxonomy: Taxonomy, **fields) -> Taxonomy:
    """Rename, move or re-describe a term; slugs stay unique per site and type."""
    for name, value in fields.items():
        setattr(taxonomy, name, value)
    return _save(taxonomy)
