"""Concurrent stock adjustments: real threads on PostgreSQL (SQLite has no row locks)."""

import threading

import pytest
from django.db import connection
from django.db.models import Sum

from flowline.commerce.models import Product, StockAdjustment
from flowline.commerce.services import stock
from flowline.commerce.tests.factories import ProductFactory
from flowline.core.errors import ApplicationError
from flowline.core.tenancy import tenant_scope
from flowline.core.testing.race import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_40_concurrent_sales_of_one_against_25_in_stock_sell_exactly_25(owner, low_stock_events):
    # given
    product = ProductFactory(account=owner.account, stock_quantity=25, low_stock_threshold=5)

    def sell() -> str:
        with tenant_scope(owner.account_id):
            try:
                stock.stock_adjust(product_id=product.id, change=-1, reason="sale")
            except ApplicationError:
                return "refused"
        return "sold"

    # when
    outcomes = race(sell, count=40)

    # then
    assert outcomes.count("sold") == 25 and outcomes.count("refused") == 15
    assert Product.unscoped.get(id=product.id).stock_quantity == 0
    ledger = StockAdjustment.unscoped.filter(product_id=product.id)
    assert ledger.aggregate(total=Sum("change"))["total"] == -25
    assert sorted(ledger.values_list("quantity_after", flat=True)) == list(range(25))
    assert [event.quantity for event in low_stock_events] == [5]


def test_concurrent_restocks_and_sales_lose_no_update(owner):
    # given
    product = ProductFactory(account=owner.account, stock_quantity=100)
    changes = iter([+3, -2] * 15)
    pick = threading.Lock()

    def adjust() -> str:
        with pick:
            change = next(changes)
        with tenant_scope(owner.account_id):
            stock.stock_adjust(product_id=product.id, change=change, reason="correction")
        return "done"

    # when
    outcomes = race(adjust, count=30)

    # then
    assert outcomes.count("done") == 30
    assert Product.unscoped.get(id=product.id).stock_quantity == 100 + 15 * (3 - 2)
