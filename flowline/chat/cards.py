"""Product cards shared in chat messages: a snapshot of the product at sharing time."""

from __future__ import annotations

from flowline.core.errors import ApplicationError


def product_card(product_id: int) -> dict:
    """The card of one of the account's products; 400 when it is not the account's."""
    try:
        from flowline.commerce.public import product_card as commerce_card
    except ImportError as exc:  # commerce not installed
        raise ApplicationError("Products are not available.", code="invalid") from exc
    card = commerce_card(product_id)
    if card is None:
        raise ApplicationError(
            "Unknown product.",
            code="invalid",
            errors={"product_id": ["No such product in this account."]},
        )
    return {"type": "product", **card}
