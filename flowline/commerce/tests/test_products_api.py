"""`products/`: CRUD with categories and tags, tenancy of references, roles, N+1."""

from decimal import Decimal

import pytest

from flowline.commerce.models import Product, StockAdjustment
from flowline.commerce.tests.factories import (
    ProductCategoryFactory,
    ProductFactory,
    ProductTagFactory,
)
from flowline.core.roles import Role
from flowline.core.tenancy import tenant_scope
from flowline.sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products/"


def test_owner_creates_a_product_with_a_category_and_tags(owner):
    # given
    category = ProductCategoryFactory(account=owner.account, name="Mugs")
    tags = ProductTagFactory.create_batch(2, account=owner.account)

    # when
    response = owner.client.post(
        PRODUCTS,
        {
            "name": "Blue Mug",
            "sku": "MUG-1",
            "price": "12.50",
            "currency": "eur",
            "category": category.id,
            "tags": [tag.id for tag in tags],
            "stock_quantity": 8,
        },
    )

    # then
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["slug"] == "blue-mug"
    assert data["currency"] == "EUR"
    assert data["category"] == {"id": category.id, "name": "Mugs", "slug": category.slug}
    assert sorted(tag["id"] for tag in data["tags"]) == sorted(tag.id for tag in tags)
    assert data["stock_status"] == "in_stock"
    assert data["images"] == [] and data["primary_image"] is None
    product = Product.unscoped.get(id=data["id"])
    assert product.account_id == owner.account_id
    opening = StockAdjustment.unscoped.get(product=product)
    assert (opening.change, opening.reason, opening.quantity_after) == (8, "initial", 8)


def test_product_belongs_to_a_site_of_the_account(owner, other_owner):
    # given
    mine = SiteFactory(account=owner.account)
    theirs = SiteFactory(account=other_owner.account)

    # when
    good = owner.client.post(PRODUCTS, {"name": "A", "price": "1", "site": mine.id})
    bad = owner.client.post(PRODUCTS, {"name": "B", "price": "1", "site": theirs.id})

    # then
    assert good.status_code == 201 and good.json()["data"]["site"] == mine.id
    assert bad.status_code == 400 and "site" in bad.json()["errors"]


@pytest.mark.parametrize("field", ["category", "tags"])
def test_another_accounts_category_or_tag_is_400(owner, other_owner, field):
    # given
    foreign = (
        ProductCategoryFactory(account=other_owner.account)
        if field == "category"
        else ProductTagFactory(account=other_owner.account)
    )
    value = foreign.id if field == "category" else [foreign.id]

    # when
    response = owner.client.post(PRODUCTS, {"name": "X", "price": "5", field: value})

    # then
    assert response.status_code == 400
    assert field in response.json()["errors"]
    with tenant_scope(owner.account_id):
        assert not Product.objects.exists()


def test_sku_is_unique_in_the_account_but_not_across_accounts(owner, other_owner):
    # given
    ProductFactory(account=owner.account, sku="SKU-1")
    ProductFactory(account=other_owner.account, sku="SKU-2")

    # when
    taken = owner.client.post(PRODUCTS, {"name": "Again", "price": "1", "sku": "SKU-1"})
    elsewhere = owner.client.post(PRODUCTS, {"name": "Fine", "price": "1", "sku": "SKU-2"})
    blank = [owner.client.post(PRODUCTS, {"name": f"N{i}", "price": "1"}) for i in range(2)]

    # then
    assert taken.status_code == 400 and "sku" in taken.json()["errors"]
    assert elsewhere.status_code == 201
    assert [r.status_code for r in blank] == [201, 201]


def test_slugs_get_a_suffix_when_names_repeat(owner):
    # when
    first = owner.client.post(PRODUCTS, {"name": "Tote Bag", "price": "9"}).json()["data"]
    second = owner.client.post(PRODUCTS, {"name": "Tote Bag", "price": "9"}).json()["data"]

    # then
    assert (first["slug"], second["slug"]) == ("tote-bag", "tote-bag-2")


def test_compare_at_price_below_price_and_negative_price_are_400(owner):
    # when
    below = owner.client.post(
        PRODUCTS, {"name": "A", "price": "10", "compare_at_price": "5"}, format="json"
    )
    negative = owner.client.post(PRODUCTS, {"name": "B", "price": "-1"})

    # then
    assert below.status_code == 400 and "compare_at_price" in below.json()["errors"]
    assert negative.status_code == 400 and "price" in negative.json()["errors"]


def test_update_changes_details_and_replaces_tags(owner):
    # given
    product = ProductFactory(account=owner.account)
    old, new = ProductTagFactory.create_batch(2, account=owner.account)
    with tenant_scope(owner.account_id):
        product.tags.set([old])

    # when
    response = owner.client.patch(
        f"{PRODUCTS}{product.id}/", {"price": "25.00", "tags": [new.id], "status": "archived"}
    )

    # then
    assert response.status_code == 200, response.content
    product.refresh_from_db()
    assert product.price == Decimal("25.00") and product.status == "archived"
    with tenant_scope(owner.account_id):
        assert list(product.tags.all()) == [new]


def test_stock_cannot_be_set_by_update(owner):
    # given
    product = ProductFactory(account=owner.account, stock_quantity=20)

    # when
    changed = owner.client.patch(f"{PRODUCTS}{product.id}/", {"stock_quantity": 3})
    same = owner.client.patch(f"{PRODUCTS}{product.id}/", {"stock_quantity": 20, "name": "Ok"})

    # then
    assert changed.status_code == 400 and changed.json()["code"] == "use_adjust_stock"
    assert same.status_code == 200
    product.refresh_from_db()
    assert product.stock_quantity == 20


def test_account_in_the_body_is_ignored(owner, other_owner):
    # when
    response = owner.client.post(
        PRODUCTS, {"name": "Mine", "price": "3", "account": other_owner.account_id}
    )

    # then
    assert response.status_code == 201
    assert Product.unscoped.get(id=response.json()["data"]["id"]).account_id == owner.account_id


def test_delete_and_bulk_delete(owner, other_owner):
    # given
    one, two, three = ProductFactory.create_batch(3, account=owner.account)
    foreign = ProductFactory(account=other_owner.account)

    # when
    deleted = owner.client.delete(f"{PRODUCTS}{one.id}/")
    refused = owner.client.post(f"{PRODUCTS}bulk_delete/", {"ids": [two.id, foreign.id]})
    bulk = owner.client.post(f"{PRODUCTS}bulk_delete/", {"ids": [two.id, three.id]})

    # then
    assert deleted.status_code == 200
    assert refused.status_code == 404
    assert bulk.json()["data"] == {"deleted_count": 2}
    assert not Product.unscoped.filter(account=owner.account).exists()
    assert Product.unscoped.filter(id=foreign.id).exists()


def test_viewer_reads_but_cannot_write(owner, member_factory):
    # given
    viewer = member_factory(owner, Role.VIEWER)
    product = ProductFactory(account=owner.account)

    # when / then
    assert viewer.client.get(f"{PRODUCTS}{product.id}/").status_code == 200
    assert viewer.client.post(PRODUCTS, {"name": "N", "price": "1"}).status_code == 403
    assert viewer.client.delete(f"{PRODUCTS}{product.id}/").status_code == 403
    editor = member_factory(owner, Role.EDITOR)
    assert editor.client.post(PRODUCTS, {"name": "N", "price": "1"}).status_code == 201


def test_other_accounts_product_is_404(owner, other_owner):
    # given
    product = ProductFactory(account=other_owner.account)

    # when / then
    assert owner.client.get(f"{PRODUCTS}{product.id}/").status_code == 404
    assert owner.client.patch(f"{PRODUCTS}{product.id}/", {"name": "x"}).status_code == 404


@pytest.fixture
def catalogue(owner):
    """Ten products, each with a category, two tags and a primary image row."""
    from flowline.commerce.models import ProductImage

    category = ProductCategoryFactory(account=owner.account)
    tags = ProductTagFactory.create_batch(2, account=owner.account)
    for i in range(10):
        product = ProductFactory(account=owner.account, category=category)
        with tenant_scope(owner.account_id):
            product.tags.set(tags)
        ProductImage.unscoped.create(
            account=owner.account,
            product=product,
            image=f"products/x/{i}.png",
            thumbnail=f"products/x/{i}_thumb.webp",
            is_primary=True,
            width=100,
            height=100,
            size_bytes=10,
            content_type="image/png",
        )


def test_product_list_query_count_does_not_grow_with_rows(
    owner, catalogue, django_assert_num_queries
):
    # when: membership (auth), page with categories, tags, primary images -- whatever
    # the number of products (a page that ends the list needs no count query)
    with django_assert_num_queries(4):
        response = owner.client.get(PRODUCTS, {"page_size": 100})

    # then
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 10
    assert all(row["category"] and len(row["tags"]) == 2 and row["primary_image"] for row in rows)


def test_product_card_for_chat_sees_only_the_active_account(owner, other_owner):
    # given
    from flowline.commerce.public import product_card

    product = ProductFactory(account=owner.account, name="Card Mug", sku="CM-1")
    foreign = ProductFactory(account=other_owner.account)

    # when
    with tenant_scope(owner.account_id):
        card = product_card(product.id)
        missing = product_card(foreign.id)

    # then
    assert card["name"] == "Card Mug" and card["price"] == "19.90" and card["in_stock"]
    assert card["image_url"] is None
    assert missing is None
