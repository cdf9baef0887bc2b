"""001 Products: `products/` with categories, tags, stock and images, and
`ai/generate/description/`."""

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from flowline.commerce import selectors
from flowline.commerce.api import serializers as s
from flowline.commerce.filters import ProductCategoryFilterSet, ProductFilterSet
from flowline.commerce.models import Product, ProductCategory, ProductImage, ProductTag
from flowline.commerce.services import catalogue, descriptions, images, stock
from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.errors import ApplicationError
from flowline.core.idempotency import idempotent
from flowline.core.large_pagination import GrowingListPagination
from flowline.core.permissions import HasAccountRole
from flowline.core.roles import Role
from flowline.core.throttles import AIThrottle, UserThrottle
from flowline.core.viewsets import BulkDeleteMixin, TenantModelViewSet, created


class ProductCategoryViewSet(BulkDeleteMixin, TenantModelViewSet):
    """`products/categories/`: the account's categories, nested through `parent`."""

    model = ProductCategory
    serializer_class = s.ProductCategorySerializer
    filterset_class = ProductCategoryFilterSet
    search_fields = ["name", "description"]
    ordering_fields = ["name", "created_at"]

    def safely_get_queryset(self, queryset):
        return selectors.categories_for_list(queryset)

    def perform_create(self, serializer):
        serializer.instance = catalogue.category_create(**serializer.validated_data)

    def perform_update(self, serializer):
        catalogue.category_update(category=serializer.instance, **serializer.validated_data)


class ProductTagViewSet(BulkDeleteMixin, TenantModelViewSet):
    """`products/tags/`."""

    model = ProductTag
    serializer_class = s.ProductTagSerializer
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]

    def perform_create(self, serializer):
        serializer.instance = catalogue.tag_create(**serializer.validated_data)

    def perform_update(self, serializer):
        catalogue.tag_update(tag=serializer.instance, **serializer.validated_data)


class ProductViewSet(BulkDeleteMixin, TenantModelViewSet):
    """`products/`: viewers read; editors manage the catalogue, its stock and images."""

    model = Product
    filterset_class = ProductFilterSet
    search_fields = ["name", "sku", "description"]
    pagination_class = GrowingListPagination
    ordering_fields = ["price", "name", "created_at", "stock_quantity"]
    ordering = ["-created_at", "-id"]

    def safely_get_queryset(self, queryset):
        if self.action == "list":
            return selectors.products_for_list(queryset)
        if self.action == "retrieve":
            return selectors.products_for_detail(queryset)
        return queryset

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return s.ProductInputSerializer
        if self.action == "retrieve":
            return s.ProductDetailSerializer
        return s.ProductSerializer

    def _detail(self, product_id: int):
        product = selectors.product_for_detail(product_id=product_id)
        return s.ProductDetailSerializer(product, context=self.get_serializer_context()).data

    @extend_schema(request=s.ProductInputSerializer, responses={201: s.ProductDetailSerializer})
    def create(self, request, *args, **kwargs):
        payload = s.ProductInputSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        product = catalogue.product_create(user_id=request.user.id, **payload.validated_data)
        return created(self._detail(product.id), message="Product created.")

    @extend_schema(request=s.ProductInputSerializer, responses=s.ProductDetailSerializer)
    def update(self, request, *args, **kwargs):
        product = self.get_object()
        payload = s.ProductInputSerializer(
            product,
            data=request.data,
            partial=kwargs.get("partial", False),
            context={"request": request},
        )
        payload.is_valid(raise_exception=True)
        catalogue.product_update(product=product, **payload.validated_data)
        return ok(self._detail(product.id), message="Product updated.")

    def perform_destroy(self, instance):
        catalogue.product_delete(product=instance)

    @extend_schema(request=s.StockAdjustInput, responses=s.StockAdjustResultSerializer)
    @action(detail=True, methods=["post"], url_path="adjust-stock")
    def adjust_stock(self, request, pk=None):
        """Move the stock by `change` with a reason; never below zero (400)."""
        product = self.get_object()
        payload = s.StockAdjustInput(data=request.data)
        payload.is_valid(raise_exception=True)
        adjustment = stock.stock_adjust(
            product_id=product.id, user_id=request.user.id, **payload.validated_data
        )
        product.refresh_from_db()
        context = self.get_serializer_context()
        return ok(
            {
                "adjustment": s.StockAdjustmentSerializer(adjustment, context=context).data,
                "product": s.ProductSerializer(product, context=context).data,
            },
            message="Stock adjusted.",
        )

    @extend_schema(responses=s.StockAdjustmentSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], url_path="stock-history", filter_backends=[])
    def stock_history(self, request, pk=None):
        rows = selectors.stock_history(product=self.get_object())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.StockAdjustmentSerializer(page, many=True).data)

    @extend_schema(request=s.ImageUploadInput, responses={201: s.ProductImageSerializer(many=True)})
    @action(
        detail=True,
        methods=["post"],
        url_path="upload-images",
        parser_classes=[MultiPartParser, FormParser],
    )
    def upload_images(self, request, pk=None):
        """multipart/form-data with one or more `images` files (PNG, JPEG, WEBP, GIF)."""
        product = self.get_object()
        rows = images.images_upload(
            product=product,
            uploads=request.FILES.getlist("images") or request.FILES.getlist("image"),
            alt_texts=request.data.getlist("alt_text") if hasattr(request.data, "getlist") else [],
        )
        data = s.ProductImageSerializer(rows, many=True, context=self.get_serializer_context()).data
        return created(data, message=f"Uploaded {len(rows)} images.")

    @extend_schema(responses=s.ProductImageSerializer(many=True), filters=False)
    @action(
        detail=True, methods=["get"], url_path="images", filter_backends=[], pagination_class=None
    )
    def images(self, request, pk=None):
        rows = selectors.images_of(product=self.get_object())
        return ok(
            s.ProductImageSerializer(rows, many=True, context=self.get_serializer_context()).data
        )

    def _image(self, image_id) -> ProductImage:
        return selectors.image_of(product=self.get_object(), image_id=image_id)

    @extend_schema(request=None, responses=None)
    @action(detail=True, methods=["delete"], url_path=r"images/(?P<image_id>[0-9]+)")
    def delete_image(self, request, pk=None, image_id=None):
        images.image_delete(image=self._image(image_id))
        return ok(None, message="Image deleted.")

    @extend_schema(request=None, responses=s.ProductImageSerializer)
    @action(detail=True, methods=["post"], url_path=r"images/(?P<image_id>[0-9]+)/set_primary")
    def set_primary_image(self, request, pk=None, image_id=None):
        image = images.image_set_primary(image=self._image(image_id))
        data = s.ProductImageSerializer(image, context=self.get_serializer_context()).data
        return ok(data, message="Primary image set.")

    @extend_schema(request=s.ImageReorderInput, responses=s.ProductImageSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="images/reorder")
    def reorder_images(self, request, pk=None):
        """`{"ids": [...]}`: every image of the product, in the new order."""
        product = self.get_object()
        payload = s.ImageReorderInput(data=request.data)
        payload.is_valid(raise_exception=True)
        rows = images.images_reorder(product=product, image_ids=payload.validated_data["ids"])
        data = s.ProductImageSerializer(rows, many=True, context=self.get_serializer_context()).data
        return ok(data, message="Images reordered.")


class DescriptionGenerateView(APIView):
    """001 `ai/generate/description/`: a product description from the AI gateway, paid in
    credits (402 when they are missing, nothing charged when generation fails)."""

    permission_classes = [IsAuthenticated, HasAccountRole]
    read_role = Role.EDITOR
    write_role = Role.EDITOR
    api_scope = "commerce"
    throttle_classes = [UserThrottle, AIThrottle]

    @extend_schema(request=s.DescriptionInput, responses=s.DescriptionSerializer, tags=["ai"])
    @idempotent
    def post(self, request):
        payload = s.DescriptionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        fields = dict(payload.validated_data)
        product_id = fields.pop("product_id", None)
        product = None
        if product_id is not None:
            product = selectors.product_find(product_id=product_id)
            if product is None:
                raise ApplicationError(
                    "Unknown product.", errors={"product_id": ["No such product in this account."]}
                )
        result = descriptions.description_generate(
            account_id=tenancy.require().account_id,
            user_id=request.user.id,
            product=product,
            **fields,
        )
        data = {**asdict(result), "product_id": product_id}
        return ok(data, message="Description generated.")
