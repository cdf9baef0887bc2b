"""Request and response bodies of products, categories, tags, stock and images."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from flowline.commerce.models import (
    Product,
    ProductCategory,
    ProductImage,
    ProductTag,
    StockAdjustment,
)
from flowline.core.serializers import IdField, ModelSerializer, Serializer, StrictInputSerializer


class ProductCategorySerializer(ModelSerializer):
    """A category; `parent` must be one of the account's categories."""

    slug = serializers.SlugField(required=False, max_length=140)
    products_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = ProductCategory
        fields = ["id", "name", "slug", "parent", "description", "products_count", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators = []  # the service reports a taken slug on the `slug` field


class ProductTagSerializer(ModelSerializer):
    slug = serializers.SlugField(required=False, max_length=80)

    class Meta:
        model = ProductTag
        fields = ["id", "name", "slug", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators = []


class ProductImageSerializer(ModelSerializer):
    url = serializers.ImageField(source="image", read_only=True)
    thumbnail_url = serializers.ImageField(source="thumbnail", read_only=True)

    class Meta:
        model = ProductImage
        fields = [
            "id",
            "url",
            "thumbnail_url",
            "alt_text",
            "position",
            "is_primary",
            "width",
            "height",
            "size_bytes",
            "content_type",
            "created_at",
        ]
        read_only_fields = fields


class _CategoryBrief(ModelSerializer):
    class Meta:
        model = ProductCategory
        fields = ["id", "name", "slug"]


class _TagBrief(ModelSerializer):
    class Meta:
        model = ProductTag
        fields = ["id", "name", "slug"]


_PRODUCT_FIELDS = [
    "id",
    "site",
    "name",
    "slug",
    "sku",
    "description",
    "short_description",
    "price",
    "compare_at_price",
    "currency",
    "category",
    "tags",
    "status",
    "stock_quantity",
    "low_stock_threshold",
    "track_stock",
]


class ProductInputSerializer(ModelSerializer):
    """What a client may write. `category`, `tags` and `site` are ids looked up in the
    active account only (another account's id is "does not exist", a 400);
    `stock_quantity` is the opening stock and later moves only through adjust-stock."""

    slug = serializers.SlugField(required=False, max_length=220)
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False, max_length=3)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    compare_at_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )

    class Meta:
        model = Product
        fields = _PRODUCT_FIELDS
        read_only_fields = ["id"]
        validators = []  # slug and SKU uniqueness are the service's, reported per field

    def validate_currency(self, value: str) -> str:
        return value.upper()

    def validate(self, attrs):
        price = attrs.get("price", getattr(self.instance, "price", None))
        compare = attrs.get("compare_at_price", getattr(self.instance, "compare_at_price", None))
        if compare is not None and price is not None and compare < price:
            raise serializers.ValidationError(
                {"compare_at_price": ["Must not be lower than the price."]}
            )
        return attrs


class ProductSerializer(ModelSerializer):
    """A product as lists show it, with its primary image and stock status."""

    category = _CategoryBrief(read_only=True)
    tags = _TagBrief(many=True, read_only=True)
    stock_status = serializers.SerializerMethodField()
    primary_image = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [*_PRODUCT_FIELDS, "stock_status", "primary_image", "created_at", "updated_at"]
        read_only_fields = fields

    def get_stock_status(self, obj) -> str:
        if not obj.track_stock or obj.stock_quantity > obj.low_stock_threshold:
            return "in_stock"
        return "out_of_stock" if obj.stock_quantity == 0 else "low_stock"

    @extend_schema_field(ProductImageSerializer(allow_null=True))
    def get_primary_image(self, obj):
        primary = getattr(obj, "primary_images", None)
        if primary is None:
            primary = [image for image in obj.images.all() if image.is_primary]
        return ProductImageSerializer(primary[0], context=self.context).data if primary else None


class ProductDetailSerializer(ProductSerializer):
    images = ProductImageSerializer(many=True, read_only=True)

    class Meta(ProductSerializer.Meta):
        fields = [*ProductSerializer.Meta.fields, "images"]
        read_only_fields = fields


class StockAdjustInput(StrictInputSerializer):
    change = serializers.IntegerField(min_value=-1_000_000, max_value=1_000_000)
    reason = serializers.ChoiceField(
        choices=[c for c in StockAdjustment.Reason.choices if c[0] != "initial"]
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class StockAdjustmentSerializer(ModelSerializer):
    created_by_email = serializers.EmailField(
        source="created_by.email", read_only=True, default=None
    )

    class Meta:
        model = StockAdjustment
        fields = [
            "id",
            "product",
            "change",
            "reason",
            "note",
            "quantity_after",
            "created_by",
            "created_by_email",
            "created_at",
        ]
        read_only_fields = fields


class StockAdjustResultSerializer(Serializer):
    adjustment = StockAdjustmentSerializer()
    product = ProductSerializer()


class ImageUploadInput(Serializer):
    """multipart/form-data: one or more `images` parts, optional `alt_text` parts in the
    same order."""

    images = serializers.ListField(child=serializers.FileField(), max_length=10)
    alt_text = serializers.ListField(
        child=serializers.CharField(max_length=255, allow_blank=True), required=False
    )


class ImageReorderInput(StrictInputSerializer):
    ids = serializers.ListField(child=IdField(), max_length=100)


class DescriptionInput(StrictInputSerializer):
    product_id = IdField(required=False)
    name = serializers.CharField(required=False, max_length=200, default="")
    features = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, max_length=20, default=list
    )
    tone = serializers.ChoiceField(
        choices=["friendly", "professional", "luxury", "playful", "persuasive", "technical"],
        default="friendly",
    )
    length = serializers.ChoiceField(choices=["short", "medium", "long"], default="medium")
    save = serializers.BooleanField(default=False)


class DescriptionSerializer(Serializer):
    description = serializers.CharField()
    bullets = serializers.ListField(child=serializers.CharField())
    credits_used = serializers.IntegerField()
    offline = serializers.BooleanField()
    model = serializers.CharField()
    saved = serializers.BooleanField()
    product_id = IdField(allow_null=True)
