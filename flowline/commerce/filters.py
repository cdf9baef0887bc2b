"""Back-office filters on products: category, tag, price range, stock status, status, site."""

import django_filters
from django.db.models import F, Q

from flowline.commerce.models import Product, ProductCategory
from flowline.core.filters import FilterSet


class ProductFilterSet(FilterSet):
    category = django_filters.NumberFilter(field_name="category_id")
    tag = django_filters.NumberFilter(field_name="tags__id", distinct=True)
    price_min = django_filters.NumberFilter(field_name="price", lookup_expr="gte")
    price_max = django_filters.NumberFilter(field_name="price", lookup_expr="lte")
    stock_status = django_filters.ChoiceFilter(
        choices=[
            ("in_stock", "In stock"),
            ("low_stock", "Low stock"),
            ("out_of_stock", "Out of stock"),
        ],
        method="filter_stock_status",
    )
    status = django_filters.ChoiceFilter(choices=Product.Status.choices)
    site = django_filters.NumberFilter(field_name="site_id")

    class Meta:
        model = Product
        fields = ["category", "tag", "price_min", "price_max", "stock_status", "status", "site"]

    def filter_stock_status(self, queryset, name, value):
        """Untracked products are always in stock; low stock is 1..threshold."""
        tracked = Q(track_stock=True)
        if value == "out_of_stock":
            return queryset.filter(tracked, stock_quantity=0)
        if value == "low_stock":
            return queryset.filter(
                tracked, stock_quantity__gt=0, stock_quantity__lte=F("low_stock_threshold")
            )
        return queryset.filter(
            Q(track_stock=False) | Q(stock_quantity__gt=F("low_stock_threshold"))
        )


class ProductCategoryFilterSet(FilterSet):
    parent = django_filters.NumberFilter(field_name="parent_id")
    root = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull")

    class Meta:
        model = ProductCategory
        fields = ["parent", "root"]
