from django.contrib import admin

from flowline.commerce.models import (
    Product,
    ProductCategory,
    ProductImage,
    ProductTag,
    StockAdjustment,
)


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ["image", "thumbnail", "alt_text", "position", "is_primary", "width", "height"]
    readonly_fields = ["image", "thumbnail", "width", "height"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "sku", "account", "price", "currency", "status", "stock_quantity"]
    list_filter = ["status", "track_stock"]
    search_fields = ["name", "sku", "account__name"]
    readonly_fields = ["account", "stock_quantity"]
    inlines = [ProductImageInline]


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "account"]
    search_fields = ["name", "account__name"]
    readonly_fields = ["account"]


@admin.register(ProductTag)
class ProductTagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "account"]
    search_fields = ["name"]
    readonly_fields = ["account"]


@admin.register(StockAdjustment)
class StockAdjustmentAdmin(admin.ModelAdmin):
    list_display = ["product", "change", "reason", "quantity_after", "created_by", "created_at"]
    list_filter = ["reason"]
    readonly_fields = [f.name for f in StockAdjustment._meta.fields]
