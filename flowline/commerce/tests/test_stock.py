"""`products/{id}/adjust-stock/` and `stock-history/`: never below zero, a ledger row per
change, and the low-stock signal once per crossing."""

import pytest

from flowline.commerce.models import Product, StockAdjustment
from flowline.commerce.services import stock
from flowline.commerce.tests.factories import ProductFactory
from flowline.core.roles import Role

pytestmark = pytest.mark.django_db


def _adjust(member, product, change, reason="sale", **extra):
    return member.client.post(
        f"/api/v1/products/{product.id}/adjust-stock/",
        {"change": change, "reason": reason, **extra},
    )


def test_adjustment_moves_the_stock_and_is_recorded(owner):
    # given
    product = ProductFactory(account=owner.account, stock_quantity=10)

    # when
    response = _adjust(owner, product, 15, "restock", note="Supplier delivery")

    # then
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["product"]["stock_quantity"] == 25
    assert data["adjustment"]["quantity_after"] == 25
    assert data["adjustment"]["created_by_email"] == owner.user.email
    row = StockAdjustment.unscoped.get(id=data["adjustment"]["id"])
    assert (row.change, row.reason, row.note, row.created_by_id) == (
        15,
        "restock",
        "Supplier delivery",
        owner.user.id,
    )


def test_stock_never_goes_below_zero(owner):
    # given
    product = ProductFactory(account=owner.account, stock_quantity=2)

    # when
    response = _adjust(owner, product, -3)

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "insufficient_stock"
    product.refresh_from_db()
    assert product.stock_quantity == 2
    assert not StockAdjustment.unscoped.filter(product=product).exists()


def test_selling_the_last_item_reaches_zero(owner):
    # given
    product = ProductFactory(account=owner.account, stock_quantity=2)

    # when
    response = _adjust(owner, product, -2)

    # then
    assert response.json()["data"]["product"]["stock_status"] == "out_of_stock"


@pytest.mark.parametrize(
    "body",
    [
        {"change": 0, "reason": "sale"},
        {"change": 1, "reason": "initial"},
        {"change": 1, "reason": "gift"},
        {"change": 1, "reason": "sale", "quantity_after": 99},
    ],
)
def test_bad_adjustments_are_400(owner, body):
    # given
    product = ProductFactory(account=owner.account)

    # when
    response = owner.client.post(f"/api/v1/products/{product.id}/adjust-stock/", body)

    # then
    assert response.status_code == 400


def test_low_stock_signal_fires_once_when_the_threshold_is_crossed(owner, low_stock_events):
    # given: 8 in stock, threshold 5
    product = ProductFactory(account=owner.account, stock_quantity=8, low_stock_threshold=5)

    # when: 8 -> 6 (above), 6 -> 4 (crosses), 4 -> 2 (already low)
    for change in (-2, -2, -2):
        assert _adjust(owner, product, change).status_code == 200

    # then
    assert [(e.product_id, e.quantity, e.threshold) for e in low_stock_events] == [
        (product.id, 4, 5)
    ]

    # when: restocked above the threshold and sold down again, it fires again
    _adjust(owner, product, 10, "restock")
    _adjust(owner, product, -8)

    # then
    assert [e.quantity for e in low_stock_events] == [4, 4]


def test_untracked_products_raise_no_low_stock_signal(owner, low_stock_events):
    # given
    product = ProductFactory(account=owner.account, stock_quantity=8, track_stock=False)

    # when
    _adjust(owner, product, -7)

    # then
    assert low_stock_events == []


def test_a_refused_adjustment_raises_no_signal(owner, low_stock_events):
    # given
    product = ProductFactory(account=owner.account, stock_quantity=6, low_stock_threshold=5)

    # when
    _adjust(owner, product, -7)

    # then
    assert low_stock_events == []


def test_crossing_rule():
    assert stock.crosses_low_stock(6, 5, 5)
    assert stock.crosses_low_stock(6, 0, 5)
    assert not stock.crosses_low_stock(5, 4, 5)
    assert not stock.crosses_low_stock(9, 6, 5)
    assert not stock.crosses_low_stock(3, 8, 5)


def test_stock_history_lists_adjustments_newest_first(owner):
    # given
    product = ProductFactory(account=owner.account, stock_quantity=5)
    for change, reason in ((3, "restock"), (-1, "sale"), (-2, "damage")):
        _adjust(owner, product, change, reason)

    # when
    response = owner.client.get(f"/api/v1/products/{product.id}/stock-history/")

    # then
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["change"], r["reason"], r["quantity_after"]) for r in rows] == [
        (-2, "damage", 5),
        (-1, "sale", 7),
        (3, "restock", 8),
    ]


def test_viewer_cannot_adjust_and_intruder_gets_404(owner, other_owner, member_factory):
    # given
    product = ProductFactory(account=owner.account, stock_quantity=5)
    viewer = member_factory(owner, Role.VIEWER)

    # when / then
    assert _adjust(viewer, product, -1).status_code == 403
    assert _adjust(other_owner, product, -1).status_code == 404
    url = f"/api/v1/products/{product.id}/stock-history/"
    assert other_owner.client.get(url).status_code == 404
    assert Product.unscoped.get(id=product.id).stock_quantity == 5
