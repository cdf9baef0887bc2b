from django.urls import path

from flowline.commerce.pages import views
from flowline.core.pages import nav

nav.register(
    nav.NavItem(
        "Commerce",
        "Products",
        "console-products",
        "box-seam",
        order=10,
        matches=("console-product*",),
    ),
    nav.NavItem("Commerce", "Categories & tags", "console-catalogue", "tags", order=20),
)

urlpatterns = [
    path("products/", views.ProductListPage.as_view(), name="console-products"),
    path("products/new/", views.ProductCreatePage.as_view(), name="console-product-new"),
    path("products/<int:pk>/", views.ProductPage.as_view(), name="console-product"),
    path("products/catalogue/", views.CataloguePage.as_view(), name="console-catalogue"),
]
