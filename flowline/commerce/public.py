"""What other apps may ask of commerce (chat shares product cards)."""

from __future__ import annotations

from flowline.ai import public as ai
from flowline.commerce.models import Product, ProductImage

# Products a chat reply's retrieval compares with the conversation (newest first).
RETRIEVAL_CANDIDATES = 500


def product_card(product_id: int) -> dict | None:
    """A snapshot of one of the active account's products for a chat message, or None
    when the account has no such product."""
    product = Product.objects.filter(id=product_id).first()
    if product is None:
        return None
    image = ProductImage.objects.filter(product=product, is_primary=True).first()
    return {
        "product_id": product.id,
        "name": product.name,
        "sku": product.sku,
        "price": str(product.price),
        "currency": product.currency,
        "short_description": product.short_description,
        "image_url": image.image.url if image else None,
        "thumbnail_url": image.thumbnail.url if image and image.thumbnail else None,
        "in_stock": not product.track_stock or product.stock_quantity > 0,
    }


def shop_context(*, limit: int = 8, about: str = "") -> list[dict]:
    """The active account's active products, short, for AI prompts (chat replies): the
    newest ones, or, with the packaged offline sentence model (`FLOWLINE_EMBEDDINGS`), the
    ones closest in meaning to `about` (what the customer wrote) among the newest
    `RETRIEVAL_CANDIDATES`, so "something to brew espresso" finds the coffee machine."""
    active = Product.objects.filter(status=Product.Status.ACTIVE).order_by("-created_at")
    packaged = ai.packaged_model() if about.strip() else None
    if packaged is None:
        rows = list(active[:limit])
    else:
        candidates = list(active[:RETRIEVAL_CANDIDATES])
        closeness = packaged.similarities(
            about, [f"{p.name}. {p.short_description}" for p in candidates]
        )
        order = sorted(range(len(candidates)), key=lambda index: -closeness[index])
        rows = [candidates[index] for index in order[:limit]]
    return [
        {
            "id": p.id,
            "name": p.name,
            "price": str(p.price),
            "currency": p.currency,
            "in_stock": not p.track_stock or p.stock_quantity > 0,
        }
        for p in rows
    ]


def product_choices(*, limit: int = 100) -> list[dict]:
    """The active account's products that can be shared into a chat (not archived),
    by name, for a picker: id, name, price and currency."""
    rows = Product.objects.exclude(status=Product.Status.ARCHIVED).order_by("name")[:limit]
    return [
        {"id": p.id, "name": p.name, "price": str(p.price), "currency": p.currency} for p in rows
    ]
