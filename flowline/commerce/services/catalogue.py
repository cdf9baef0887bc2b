"""Writes to the catalogue: categories, tags and products, with slugs and SKUs unique in
the account."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from flowline.commerce.models import (
    Product,
    ProductCategory,
    ProductImage,
    ProductTag,
    StockAdjustment,
)
from flowline.core.errors import ApplicationError


def unique_slug(queryset, text: str, *, exclude_id: int | None = None) -> str:
    """`text` slugified, with -2, -3, ... appended until unused in `queryset`."""
    base = slugify(text)[:120] or "item"
    existing = queryset.exclude(id=exclude_id) if exclude_id else queryset
    taken = set(existing.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _taken(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, code="duplicate", errors={field: [message]})


def _save(instance, *, field: str = "slug") -> None:
    """Save; a unique value taken meanwhile by a concurrent request is a 400, not a 500."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise _taken(field, "Already used in this account.") from exc


def _slug_for(model, fields: dict, *, exclude_id: int | None = None) -> None:
    """Fill a missing slug from the name, refuse a given one already used."""
    queryset = model.objects.all()
    slug = fields.get("slug")
    if not slug and "name" in fields and exclude_id is None:
        fields["slug"] = unique_slug(queryset, fields["name"])
    elif slug and queryset.filter(slug=slug).exclude(id=exclude_id).exists():
        raise _taken("slug", "This slug is already used.")


def _apply(instance, fields: dict) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


@transaction.atomic
def category_create(**fields) -> ProductCategory:
    """A new category in the active account."""
    _slug_for(ProductCategory, fields)
    category = ProductCategory(**fields)
    _save(category)
    return category


@transaction.atomic
def category_update(*, category: ProductCategory, **fields) -> ProductCategory:
    """Change a category; a parent that is the category itself or below it is refused."""
    _slug_for(ProductCategory, fields, exclude_id=category.id)
    parent = fields.get("parent")
    ancestor = parent
    while ancestor is not None:
        if ancestor.id == category.id:
            raise ApplicationError(
                "A category cannot sit inside itself.",
                errors={"parent": ["Would make a loop of categories."]},
            )
        ancestor = ancestor.parent
    _apply(category, fields)
    _save(category)
    return category


@transaction.atomic
def tag_create(**fields) -> ProductTag:
    """A new tag in the active account."""
    _slug_for(ProductTag, fields)
    tag = ProductTag(**fields)
    _save(tag)
    return tag


@transaction.atomic
def tag_update(*, tag: ProductTag, **fields) -> ProductTag:
    _slug_for(ProductTag, fields, exclude_id=tag.id)
    _apply(tag, fields)
    _save(tag)
    return tag


def _check_sku(sku: str, *, exclude_id: int | None = None) -> None:
    if sku and Product.objects.filter(sku=sku).exclude(id=exclude_id).exists():
        raise _taken("sku", "This SKU is already used by another product.")


@transaction.atomic
def product_create(
    *, tags: list[ProductTag] | None = None, user_id: int | None = None, **fields
) -> Product:
    """A new product. Its opening stock is written to the stock ledger as "initial"."""
    _slug_for(Product, fields)
    _check_sku(fields.get("sku", ""))
    product = Product(**fields)
    _save(product, field="sku" if product.sku else "slug")
    if tags:
        product.tags.set(tags)
    if product.stock_quantity:
        StockAdjustment.objects.create(
            product=product,
            change=product.stock_quantity,
            reason=StockAdjustment.Reason.INITIAL,
            quantity_after=product.stock_quantity,
            created_by_id=user_id,
        )
    return product


@transaction.atomic
def product_update(*, product: Product, tags: list[ProductTag] | None = None, **fields) -> Product:
    """Change a product's details. The stock count moves only by adjustments."""
    stock = fields.pop("stock_quantity", None)
    if stock is not None and stock != product.stock_quantity:
        raise ApplicationError(
            "Change the stock with adjust-stock so that the change is recorded.",
            code="use_adjust_stock",
            errors={"stock_quantity": ["Use products/{id}/adjust-stock/."]},
        )
    _slug_for(Product, fields, exclude_id=product.id)
    if "sku" in fields:
        _check_sku(fields["sku"], exclude_id=product.id)
    _apply(product, fields)
    _save(product, field="sku" if "sku" in fields else "slug")
    if tags is not None:
        product.tags.set(tags)
    return product


@transaction.atomic
def product_delete(*, product: Product) -> None:
    """Delete a product and, once that is committed, its image files."""
    names = []
    for image in ProductImage.objects.filter(product=product):
        names += [image.image.name, image.thumbnail.name]
    product.delete()
    transaction.on_commit(lambda: delete_files(names))


def delete_files(names: list[str]) -> None:
    """Remove stored files that no row points at any more."""
    for name in names:
        if name:
            default_storage.delete(name)
