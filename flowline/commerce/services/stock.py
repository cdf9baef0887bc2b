"""Stock: adjustments that never take a count below zero, and the low-stock signal.

An adjustment locks the product row (SELECT ... FOR UPDATE; SQLite serialises writers),
moves the count and writes the ledger row in one transaction, so concurrent sales and
restocks cannot lose an update and the ledger always explains the count.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from flowline.commerce.models import Product, StockAdjustment
from flowline.core.errors import ApplicationError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LowStock:
    """A product's stock just dropped to or below its low-stock threshold."""

    account_id: int
    product_id: int
    product_name: str
    sku: str
    quantity: int
    threshold: int


_low_stock_listeners: list[Callable[[LowStock], None]] = []


def register_low_stock_listener(listener: Callable[[LowStock], None]) -> None:
    """`listener(LowStock)` runs after commit, once each time a product's stock crosses
    its threshold downwards (notifications, webhooks, tests)."""
    _low_stock_listeners.append(listener)


def unregister_low_stock_listener(listener: Callable[[LowStock], None]) -> None:
    if listener in _low_stock_listeners:
        _low_stock_listeners.remove(listener)


def crosses_low_stock(before: int, after: int, threshold: int) -> bool:
    """True when the count goes from above the threshold to at or below it."""
    return before > threshold >= after


@transaction.atomic
def stock_adjust(
    *, product_id: int, change: int, reason: str, note: str = "", user_id: int | None = None
) -> StockAdjustment:
    """Move a product's stock by `change` (+ restock/return, - sale/damage) and record
    why. A change that would leave fewer than zero is a 400 and changes nothing."""
    if change == 0:
        raise ApplicationError("A change of zero changes nothing.", errors={"change": ["Not 0."]})
    product = Product.objects.select_for_update().get(id=product_id)
    before = product.stock_quantity
    after = before + change
    if after < 0:
        raise ApplicationError(
            f"Only {before} in stock: cannot remove {-change}.",
            code="insufficient_stock",
            errors={"change": [f"Stock cannot go below zero ({before} available)."]},
            extra={"stock_quantity": before},
        )
    # F() as well as the lock: the row's value is what moves, never a stale copy.
    Product.objects.filter(id=product.id).update(
        stock_quantity=F("stock_quantity") + change, updated_at=timezone.now()
    )
    adjustment = StockAdjustment.objects.create(
        account_id=product.account_id,
        product=product,
        change=change,
        reason=reason,
        note=note,
        quantity_after=after,
        created_by_id=user_id,
    )
    if product.track_stock and crosses_low_stock(before, after, product.low_stock_threshold):
        event = LowStock(
            account_id=product.account_id,
            product_id=product.id,
            product_name=product.name,
            sku=product.sku,
            quantity=after,
            threshold=product.low_stock_threshold,
        )
        transaction.on_commit(lambda: low_stock_reached(event))
    return adjustment


def low_stock_reached(event: LowStock) -> None:
    """Tell the listeners and the notifications app (when installed) about `event`."""
    for listener in list(_low_stock_listeners):
        listener(event)
    try:
        from flowline.notifications.public import notify
    except ImportError:
        return
    try:
        notify(
            account_id=event.account_id,
            user_ids=None,
            notification_type="low_stock",
            context={
                "product_id": event.product_id,
                "product_name": event.product_name,
                "sku": event.sku,
                "quantity": event.quantity,
                "threshold": event.threshold,
            },
            link=f"/products/{event.product_id}",
        )
    except Exception:
        # The adjustment is committed; a failing notification must not turn it into a 500.
        logger.exception("Low-stock notification failed for product %s", event.product_id)
