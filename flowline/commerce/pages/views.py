"""Products in the console, over the API's `products/`, `products/categories/`,
`products/tags/` and `ai/generate/description/`: the list with search and filters, a
product's form, its images (upload, order, primary, delete), its stock with the
adjustment history, and an AI description."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from flowline.commerce.api.serializers import DescriptionInput
from flowline.commerce.api.views import (
    DescriptionGenerateView,
    ProductCategoryViewSet,
    ProductTagViewSet,
    ProductViewSet,
)
from flowline.commerce.models import Product, StockAdjustment
from flowline.core.pages.api import Answer, Endpoint
from flowline.core.pages.forms import ApiFormPage
from flowline.core.pages.lists import BulkAction, Column, Filter, ListPage
from flowline.core.pages.views import Page
from flowline.core.roles import Role

products = Endpoint(ProductViewSet, {"get": "list", "post": "create"})
product = Endpoint(ProductViewSet, {"get": "retrieve", "patch": "partial_update"})
products_delete = Endpoint(ProductViewSet, {"post": "bulk_delete"})
upload_images = Endpoint(ProductViewSet, {"post": "upload_images"})
reorder_images = Endpoint(ProductViewSet, {"post": "reorder_images"})
set_primary_image = Endpoint(ProductViewSet, {"post": "set_primary_image"})
delete_image = Endpoint(ProductViewSet, {"delete": "delete_image"})
adjust_stock = Endpoint(ProductViewSet, {"post": "adjust_stock"})
stock_history = Endpoint(ProductViewSet, {"get": "stock_history"})
categories = Endpoint(ProductCategoryViewSet, {"get": "list", "post": "create"})
category = Endpoint(ProductCategoryViewSet, {"delete": "destroy"})
tags = Endpoint(ProductTagViewSet, {"get": "list", "post": "create"})
tag = Endpoint(ProductTagViewSet, {"delete": "destroy"})
describe = Endpoint(DescriptionGenerateView)

STOCK_STATUSES = [
    ("in_stock", "In stock"),
    ("low_stock", "Low stock"),
    ("out_of_stock", "Out of stock"),
]
# What the stock form offers: every reason but the opening stock, as the API accepts.
STOCK_REASONS = [c for c in StockAdjustment.Reason.choices if c[0] != "initial"]
# The AI description's tones and lengths, as its input serializer accepts them.
DESCRIPTION_CHOICES = {
    name: list(DescriptionInput().fields[name].choices.items()) for name in ("tone", "length")
}
FIELDS = (
    "name",
    "sku",
    "slug",
    "short_description",
    "description",
    "price",
    "compare_at_price",
    "currency",
    "category",
    "tags",
    "status",
    "low_stock_threshold",
    "track_stock",
)


def _choices(endpoint: Endpoint, request) -> list[tuple[str, str]]:
    rows = endpoint.call(request, query={"page_size": 100, "ordering": "name"}).body
    return [(str(row["id"]), row["name"]) for row in rows.get("results", [])]


class ProductListPage(ListPage):
    title = "Products"
    endpoint = products
    columns = [
        Column("name", "Product", sort="name", link=True, cell="commerce/cells/product.html"),
        Column("sku", "SKU"),
        Column(
            "price", "Price", sort="price", cell="commerce/cells/price.html", classes="text-end"
        ),
        Column(
            "stock_quantity",
            "Stock",
            sort="stock_quantity",
            cell="commerce/cells/stock.html",
            classes="text-end",
        ),
        Column("category.name", "Category"),
        Column("status", "Status", cell="pages/cells/status.html"),
    ]
    filters = [
        Filter("status", "Status", Product.Status.choices),
        Filter("stock_status", "Stock", STOCK_STATUSES),
        Filter("category", "Category", lambda request: _choices(categories, request)),
        Filter("tag", "Tag", lambda request: _choices(tags, request)),
    ]
    bulk_actions = [
        BulkAction(
            "bulk_delete", "Delete", products_delete, confirm="Delete the selected products?"
        )
    ]
    search_placeholder = "Search name, SKU or description"
    row_url_name = "console-product"
    create_url_name = "console-product-new"
    create_label = "New product"
    empty_heading = "No products yet"
    empty_text = "Add products with their images and stock; share them into customer chats."


class ProductFormMixin:
    """The product form's choices and the body it sends (the API validates it)."""

    template_name = "commerce/product.html"
    fields = FIELDS
    list_fields = ("tags",)

    def body(self) -> dict:
        body = super().body()
        # An unchecked box is not posted: say so, as the API needs a boolean.
        body["track_stock"] = self.request.POST.get("track_stock") in ("true", "on")
        # Empty optional fields: the API's defaults (a slug made from the name, stock
        # numbers), and no category or compare-at price.
        for name in ("slug", "low_stock_threshold", "stock_quantity"):
            if body.get(name) == "":
                body.pop(name)
        for name in ("category", "compare_at_price"):
            if body.get(name) == "":
                body[name] = None
        return body

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            category_choices=_choices(categories, self.request),
            tag_choices=_choices(tags, self.request),
            status_choices=Product.Status.choices,
            crumbs=[{"label": "Products", "url": reverse("console-products")}],
        )
        return context


class ProductCreatePage(ProductFormMixin, ApiFormPage):
    """A new product with its opening stock and, optionally, its first images."""

    title = "New product"
    endpoint = products
    fields = (*FIELDS, "stock_quantity")
    success_message = "Product created."

    def load(self) -> dict:
        return {
            "currency": "USD",
            "status": "draft",
            "track_stock": True,
            "stock_quantity": 0,
            "low_stock_threshold": 5,
        }

    def success_url(self, answer: Answer) -> str:
        pk = answer.data["id"]
        uploads = self.request.FILES.getlist("images")
        if uploads:
            sent = _upload(self.request, pk, uploads)
            if not sent.ok:
                messages.error(self.request, f"The images were not added: {sent.message}")
        return reverse("console-product", args=[pk])


def _upload(request, pk, uploads) -> Answer:
    """Each file through the API's upload-images, one request per file (the page's
    multipart sub-request carries one file per field name)."""
    answer = Answer(400, {"message": "No images."})
    for upload in uploads:
        answer = upload_images.call(request, "POST", files={"images": upload}, pk=pk)
        if not answer.ok:
            break
    return answer


class ProductPage(ProductFormMixin, ApiFormPage):
    """A product: its form, images, stock and history, and an AI description."""

    endpoint = product
    method = "PATCH"
    success_message = "Product saved."
    action_roles = {"describe": Role.EDITOR}

    def load(self) -> dict:
        stored = dict(self.fetched(product, **self.kwargs))
        # the form's values: the category's id, the tags' ids as the checkboxes post them
        stored["category"] = (stored.get("category") or {}).get("id")
        stored["tags"] = [str(t["id"]) for t in stored.get("tags") or []]
        return stored

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stored = self.load()
        history = stock_history.call(self.request, query={"page_size": 20}, **self.kwargs)
        context.update(
            title=stored["name"],
            product=stored,
            images=stored.get("images") or [],
            history=history.body.get("results", []),
            stock_reasons=STOCK_REASONS,
            reason_labels=dict(StockAdjustment.Reason.choices),
            tone_choices=DESCRIPTION_CHOICES["tone"],
            length_choices=DESCRIPTION_CHOICES["length"],
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        handler = {
            "upload": self.upload,
            "move": self.move_image,
            "primary": self.primary_image,
            "delete_image": self.delete_image,
            "stock": self.adjust_stock,
            "describe": self.describe,
        }.get(action)
        if handler is None:
            return super().post(request, *args, **kwargs)
        answer = handler()
        if answer.ok:
            messages.success(request, answer.message or "Done.")
            return redirect(request.path)
        context = self.get_context_data(
            action_error=answer.message,
            action=action,
            action_errors=answer.errors,
            no_credits=answer.status == 402,
        )
        return self.render_to_response(
            context, status=answer.status if answer.status < 500 else 400
        )

    def upload(self) -> Answer:
        uploads = self.request.FILES.getlist("images")
        if not uploads:
            return Answer(400, {"message": "Choose one or more images first."})
        return _upload(self.request, self.kwargs["pk"], uploads)

    def move_image(self) -> Answer:
        """One image a place earlier or later; the API takes the whole new order."""
        ids = [image["id"] for image in self.load().get("images") or []]
        moved = int(self.request.POST.get("image", 0) or 0)
        if moved not in ids:
            return Answer(404, {"message": "No such image on this product."})
        at = ids.index(moved)
        to = at - 1 if self.request.POST.get("direction") == "up" else at + 1
        if 0 <= to < len(ids):
            ids[at], ids[to] = ids[to], ids[at]
        return reorder_images.call(self.request, "POST", body={"ids": ids}, **self.kwargs)

    def primary_image(self) -> Answer:
        image = self.request.POST.get("image", "")
        return set_primary_image.call(self.request, "POST", image_id=image, **self.kwargs)

    def delete_image(self) -> Answer:
        image = self.request.POST.get("image", "")
        return delete_image.call(self.request, "DELETE", image_id=image, **self.kwargs)

    def adjust_stock(self) -> Answer:
        post = self.request.POST
        body = {k: post.get(k, "") for k in ("change", "reason", "note")}
        return adjust_stock.call(self.request, "POST", body=body, **self.kwargs)

    def describe(self) -> Answer:
        body = {
            "product_id": self.kwargs["pk"],
            "tone": self.request.POST.get("tone", "friendly"),
            "length": self.request.POST.get("length", "medium"),
            "save": True,
        }
        return describe.call(self.request, "POST", body=body)

    def success_url(self, answer: Answer) -> str:
        return self.request.path


class CataloguePage(Page):
    """The account's categories and tags: add and delete them."""

    title = "Categories & tags"
    template_name = "commerce/catalogue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = {"page_size": 100, "ordering": "name"}
        context.setdefault("errors", {})
        context.update(
            categories=categories.call(self.request, query=query).body.get("results", []),
            tags=tags.call(self.request, query=query).body.get("results", []),
            crumbs=[{"label": "Products", "url": reverse("console-products")}],
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        target = request.POST.get("id", "")
        if action == "add_category":
            body = {"name": request.POST.get("name", "")}
            if request.POST.get("parent"):
                body["parent"] = request.POST["parent"]
            answer = categories.call(request, "POST", body=body)
        elif action == "add_tag":
            answer = tags.call(request, "POST", body={"name": request.POST.get("name", "")})
        elif action == "delete_category":
            answer = category.call(request, "DELETE", pk=target)
        elif action == "delete_tag":
            answer = tag.call(request, "DELETE", pk=target)
        else:
            return self.error_page(400, "Unknown action.")
        if answer.ok:
            messages.success(request, answer.message or "Saved.")
            return redirect(request.path)
        context = self.get_context_data(refused=answer.message, errors=answer.errors, action=action)
        response = self.render_to_response(context)
        response.status_code = answer.status if answer.status < 500 else 400
        return response
