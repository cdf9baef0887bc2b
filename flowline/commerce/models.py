"""The shop's catalogue: products with categories, tags, stock and images (001 Products)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from flowline.core.models import TimeStampedModel
from flowline.core.richtext import RichTextField
from flowline.core.tenancy import TenantModel


class ProductCategory(TenantModel, TimeStampedModel):
    """A shelf of the catalogue; categories nest through `parent`."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    description = RichTextField(blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "product categories"
        constraints = [
            models.UniqueConstraint(fields=["account", "slug"], name="commerce_category_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class ProductTag(TenantModel, TimeStampedModel):
    """A free label on products ("summer", "bestseller")."""

    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=80)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "slug"], name="commerce_tag_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class Product(TenantModel, TimeStampedModel):
    """Something the account sells, optionally under one of its sites (brands).

    `stock_quantity` only changes through stock adjustments, which keep the ledger in
    `StockAdjustment`; the database refuses a negative count.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    site = models.ForeignKey(
        "sites.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220)
    sku = models.CharField(max_length=64, blank=True)
    description = RichTextField(blank=True)
    short_description = models.CharField(max_length=500, blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    compare_at_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    category = models.ForeignKey(
        ProductCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    tags = models.ManyToManyField(ProductTag, blank=True, related_name="products")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    stock_quantity = models.PositiveIntegerField(default=0)
    low_stock_threshold = models.PositiveIntegerField(default=5)
    track_stock = models.BooleanField(default=True)

    tenant_site_lookup = "site_id"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "slug"], name="commerce_product_slug"),
            models.UniqueConstraint(
                fields=["account", "sku"], condition=~Q(sku=""), name="commerce_product_sku"
            ),
            models.CheckConstraint(
                condition=Q(stock_quantity__gte=0), name="commerce_product_stock_not_negative"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="commerce_product_price"),
        ]
        # The list, each filter it offers in its default order, and by price (issue 18).
        indexes = [
            models.Index(fields=["account", "-created_at", "-id"], name="product_account_new"),
            models.Index(
                fields=["account", "status", "-created_at", "-id"], name="product_status_new"
            ),
            models.Index(
                fields=["site", "status", "-created_at", "-id"], name="product_site_status_new"
            ),
            models.Index(fields=["account", "price", "id"], name="product_account_price"),
        ]

    def __str__(self) -> str:
        return self.name


class StockAdjustment(TenantModel):
    """One change of a product's stock, with why and what it left (the stock ledger)."""

    class Reason(models.TextChoices):
        INITIAL = "initial", "Initial stock"
        RESTOCK = "restock", "Restock"
        SALE = "sale", "Sale"
        RETURN = "return", "Return"
        CORRECTION = "correction", "Correction"
        DAMAGE = "damage", "Damage"
        LOSS = "loss", "Loss or theft"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="adjustments")
    change = models.IntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    quantity_after = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.change:+d} ({self.reason})"


class ProductImage(TenantModel):
    """A picture of a product, checked by content when uploaded, with its thumbnail.

    Files are stored under generated names; the client's filename is never used.
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="products/", max_length=255)
    thumbnail = models.ImageField(upload_to="products/", max_length=255, blank=True)
    alt_text = models.CharField(max_length=255, blank=True)
    position = models.PositiveIntegerField(default=0)
    is_primary = models.BooleanField(default=False)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    content_type = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product"], condition=Q(is_primary=True), name="commerce_one_primary_image"
            ),
        ]

    def __str__(self) -> str:
        return f"image {self.id} of product {self.product_id}"
