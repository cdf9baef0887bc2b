"""Reads of the catalogue, with the joins and prefetches their serializers need."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from flowline.commerce.models import Product, ProductCategory, ProductImage, StockAdjustment
from flowline.core.errors import NotFoundError


def categories_for_list(queryset: QuerySet[ProductCategory]) -> QuerySet[ProductCategory]:
    """Categories with `products_count`. A subquery, not a join with GROUP BY: bulk_delete
    locks these rows FOR UPDATE, which PostgreSQL refuses on a grouped query."""
    counts = (
        Product.objects.filter(category=OuterRef("pk"))
        .values("category")
        .annotate(n=Count("id"))
        .values("n")
    )
    return queryset.annotate(products_count=Coalesce(Subquery(counts), 0))


def products_for_list(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """Products with their category, tags and primary image in a fixed number of queries."""
    return queryset.select_related("category").prefetch_related(
        "tags",
        Prefetch(
            "images",
            queryset=ProductImage.objects.filter(is_primary=True),
            to_attr="primary_images",
        ),
    )


def products_for_detail(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """As for a list, plus every image in order."""
    return products_for_list(queryset).prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
    )


def product_for_detail(*, product_id: int) -> Product:
    """One product of the active account as its detail shows it."""
    return products_for_detail(Product.objects.filter(id=product_id)).get()


def product_find(*, product_id: int) -> Product | None:
    """A product of the active account with its category, or None."""
    return Product.objects.select_related("category").filter(id=product_id).first()


def images_of(*, product: Product) -> QuerySet[ProductImage]:
    """A product's images (the model's order)."""
    return ProductImage.objects.filter(product=product)


def image_of(*, product: Product, image_id) -> ProductImage:
    """One image of the product, or a 404."""
    image = images_of(product=product).filter(id=image_id).first()
    if image is None:
        raise NotFoundError("No such image on this product.")
    return image


def stock_history(*, product: Product) -> QuerySet[StockAdjustment]:
    """A product's stock adjustments, newest first, with who made them."""
    return StockAdjustment.objects.filter(product=product).select_related("created_by")
