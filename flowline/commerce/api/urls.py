"""Commerce routes; `config/api_router.py` mounts them.

Categories and tags are registered before products so that `products/categories/` is
not read as the product with id "categories".
"""

from django.urls import path

from flowline.commerce.api import views

ROUTES = [
    ("products/categories", views.ProductCategoryViewSet, "productcategory"),
    ("products/tags", views.ProductTagViewSet, "producttag"),
    ("products", views.ProductViewSet, "product"),
]


def register(router) -> None:
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


urlpatterns = [
    path(
        "ai/generate/description/",
        views.DescriptionGenerateView.as_view(),
        name="ai-generate-description",
    ),
]
