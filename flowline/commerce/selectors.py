"""Reads of the catalogue, with the joins and prefetches their serializers need."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from flowline.commerce.models import Product, ProductImage, StockAdjustment


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


def stock_history(*, product: Product) -> QuerySet[StockAdjustment]:
    """A product's stock adjustments, newest first, with who made them."""
    return StockAdjustment.objects.filter(product=product).select_related("created_by")
