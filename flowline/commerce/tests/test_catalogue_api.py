"""`products/categories/`, `products/tags/`, and the list's filters, search and ordering."""

from decimal import Decimal

import pytest

from flowline.commerce.tests.factories import (
    ProductCategoryFactory,
    ProductFactory,
    ProductTagFactory,
)
from flowline.core.tenancy import tenant_scope

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products/"
CATEGORIES = "/api/v1/products/categories/"
TAGS = "/api/v1/products/tags/"


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_categories_path_is_not_taken_for_a_product_id(owner):
    # given
    ProductCategoryFactory(account=owner.account, name="Shoes")

    # when
    response = owner.client.get(CATEGORIES)

    # then
    assert _names(response) == ["Shoes"]


def test_category_crud_with_a_parent_and_product_counts(owner):
    # given
    parent = owner.client.post(CATEGORIES, {"name": "Clothing"}).json()["data"]

    # when
    child = owner.client.post(CATEGORIES, {"name": "T-Shirts", "parent": parent["id"]})
    ProductFactory(account=owner.account, category_id=child.json()["data"]["id"])
    renamed = owner.client.patch(f"{CATEGORIES}{parent['id']}/", {"description": "All wear"})

    # then
    assert child.status_code == 201
    assert child.json()["data"]["slug"] == "t-shirts"
    assert renamed.status_code == 200 and renamed.json()["data"]["description"] == "All wear"
    listed = owner.client.get(CATEGORIES, {"parent": parent["id"]}).json()["results"]
    assert [(row["name"], row["products_count"]) for row in listed] == [("T-Shirts", 1)]
    roots = owner.client.get(CATEGORIES, {"root": "true"})
    assert _names(roots) == ["Clothing"]


def test_category_cannot_become_its_own_ancestor(owner):
    # given
    top = ProductCategoryFactory(account=owner.account)
    below = ProductCategoryFactory(account=owner.account, parent=top)

    # when
    response = owner.client.patch(f"{CATEGORIES}{top.id}/", {"parent": below.id})

    # then
    assert response.status_code == 400 and "parent" in response.json()["errors"]


def test_category_parent_of_another_account_is_400(owner, other_owner):
    # given
    foreign = ProductCategoryFactory(account=other_owner.account)

    # when
    response = owner.client.post(CATEGORIES, {"name": "Mine", "parent": foreign.id})

    # then
    assert response.status_code == 400 and "parent" in response.json()["errors"]


def test_duplicate_slugs_are_400_per_account(owner, other_owner):
    # given
    ProductTagFactory(account=owner.account, slug="sale")
    ProductTagFactory(account=other_owner.account, slug="new")

    # when
    taken = owner.client.post(TAGS, {"name": "Sale", "slug": "sale"})
    fine = owner.client.post(TAGS, {"name": "New", "slug": "new"})
    derived = owner.client.post(TAGS, {"name": "Sale"})

    # then
    assert taken.status_code == 400 and "slug" in taken.json()["errors"]
    assert fine.status_code == 201
    assert derived.json()["data"]["slug"] == "sale-2"


def test_deleting_a_category_keeps_its_products(owner):
    # given
    category = ProductCategoryFactory(account=owner.account)
    product = ProductFactory(account=owner.account, category=category)

    # when
    response = owner.client.delete(f"{CATEGORIES}{category.id}/")

    # then
    assert response.status_code == 200
    product.refresh_from_db()
    assert product.category_id is None


@pytest.fixture
def shop(owner):
    mugs = ProductCategoryFactory(account=owner.account, name="Mugs")
    bags = ProductCategoryFactory(account=owner.account, name="Bags")
    summer = ProductTagFactory(account=owner.account, name="summer")
    rows = {
        "Blue Mug": dict(category=mugs, price="12.00", stock_quantity=50, sku="MUG-BLUE"),
        "Red Mug": dict(category=mugs, price="14.00", stock_quantity=3, sku="MUG-RED"),
        "Canvas Tote": dict(category=bags, price="30.00", stock_quantity=0, sku="BAG-1"),
        "Beach Bag": dict(category=bags, price="45.00", stock_quantity=9, status="draft"),
        "Gift Card": dict(price="25.00", stock_quantity=0, track_stock=False),
    }
    products = {}
    for name, fields in rows.items():
        fields["price"] = Decimal(fields["price"])
        products[name] = ProductFactory(account=owner.account, name=name, **fields)
    with tenant_scope(owner.account_id):
        products["Beach Bag"].tags.set([summer])
        products["Canvas Tote"].tags.set([summer])
    products["Red Mug"].description = "Glazed stoneware, dishwasher safe"
    products["Red Mug"].save()
    return {"mugs": mugs, "bags": bags, "summer": summer, **products}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stock_status": "in_stock"}, ["Beach Bag", "Blue Mug", "Gift Card"]),
        ({"stock_status": "low_stock"}, ["Red Mug"]),
        ({"stock_status": "out_of_stock"}, ["Canvas Tote"]),
        ({"price_min": "13", "price_max": "30"}, ["Canvas Tote", "Gift Card", "Red Mug"]),
        ({"status": "draft"}, ["Beach Bag"]),
        ({"search": "mug-"}, ["Blue Mug", "Red Mug"]),
        ({"search": "dishwasher"}, ["Red Mug"]),
        ({"search": "tote"}, ["Canvas Tote"]),
    ],
)
def test_filters_and_search(owner, shop, params, expected):
    # when
    response = owner.client.get(PRODUCTS, params)

    # then
    assert sorted(_names(response)) == expected


def test_filter_by_category_and_tag(owner, shop):
    # when
    by_category = owner.client.get(PRODUCTS, {"category": shop["mugs"].id})
    by_tag = owner.client.get(PRODUCTS, {"tag": shop["summer"].id})
    both = owner.client.get(PRODUCTS, {"tag": shop["summer"].id, "category": shop["bags"].id})

    # then
    assert sorted(_names(by_category)) == ["Blue Mug", "Red Mug"]
    assert sorted(_names(by_tag)) == ["Beach Bag", "Canvas Tote"]
    assert sorted(_names(both)) == ["Beach Bag", "Canvas Tote"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("price", ["Blue Mug", "Red Mug", "Gift Card", "Canvas Tote", "Beach Bag"]),
        ("-price", ["Beach Bag", "Canvas Tote", "Gift Card", "Red Mug", "Blue Mug"]),
        ("name", ["Beach Bag", "Blue Mug", "Canvas Tote", "Gift Card", "Red Mug"]),
        ("-stock_quantity,name", ["Blue Mug", "Beach Bag", "Red Mug", "Canvas Tote", "Gift Card"]),
    ],
)
def test_ordering(owner, shop, ordering, expected):
    # when
    response = owner.client.get(PRODUCTS, {"ordering": ordering})

    # then
    assert _names(response) == expected


def test_bad_filter_values_are_400(owner):
    # when / then
    assert owner.client.get(PRODUCTS, {"stock_status": "plenty"}).status_code == 400
    assert owner.client.get(PRODUCTS, {"price_min": "cheap"}).status_code == 400


def test_search_never_shows_another_accounts_products(owner, other_owner, shop):
    # given
    ProductFactory(account=other_owner.account, name="Blue Mug Elsewhere", sku="MUG-X")

    # when
    response = owner.client.get(PRODUCTS, {"search": "mug"})

    # then
    assert sorted(_names(response)) == ["Blue Mug", "Red Mug"]
