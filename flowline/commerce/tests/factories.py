from decimal import Decimal

import factory

from flowline.commerce.models import Product, ProductCategory, ProductTag
from flowline.core.testing.factories import TenantFactory


class ProductCategoryFactory(TenantFactory):
    class Meta:
        model = ProductCategory

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProductTagFactory(TenantFactory):
    class Meta:
        model = ProductTag

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class ProductFactory(TenantFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    price = Decimal("19.90")
    stock_quantity = 20
    low_stock_threshold = 5
    status = Product.Status.ACTIVE
