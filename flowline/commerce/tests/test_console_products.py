"""Products in the console: the list with its filters, creating a product with images
and opening stock, moving its images, adjusting its stock and writing its description
with AI; over HTTP and in Chromium."""

import pytest
from playwright.sync_api import expect

from flowline.commerce.models import Product, ProductImage, StockAdjustment
from flowline.commerce.tests.factories import ProductFactory
from flowline.commerce.tests.imaging import image_bytes, png
from flowline.core.roles import Role
from flowline.core.tenancy import tenant_scope
from flowline.core.testing.pages import CSRF, page_client


@pytest.mark.django_db
def test_products_list_filters_by_stock_status(owner):
    with tenant_scope(owner.account_id):
        ProductFactory(account=owner.account, name="Blue mug", stock_quantity=0)
        ProductFactory(account=owner.account, name="Red mug", stock_quantity=50)
    page = page_client(owner).get("/products/?stock_status=out_of_stock")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Blue mug" in text and "Red mug" not in text


@pytest.mark.django_db
def test_a_product_is_created_with_its_images_and_opening_stock(owner):
    form = {
        "csrf_token": CSRF,
        "name": "Linen apron",
        "price": "24.00",
        "currency": "usd",
        "status": "active",
        "stock_quantity": "12",
        "low_stock_threshold": "3",
        "track_stock": "on",
        "images": [png("front.png"), png("back.png", 400, 300)],
    }
    response = page_client(owner).post("/products/new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    product = Product.unscoped.get(account=owner.account)
    assert (product.currency, product.stock_quantity) == ("USD", 12)
    assert ProductImage.unscoped.filter(product=product).count() == 2
    assert response["Location"] == f"/products/{product.id}/"


@pytest.mark.django_db
def test_the_apis_field_errors_show_beside_the_fields(owner):
    form = {"csrf_token": CSRF, "name": "Apron", "price": "10", "compare_at_price": "5"}
    page = page_client(owner).post("/products/new/", form)
    assert page.status_code == 400
    assert b"Must not be lower than the price." in page.content
    assert not Product.unscoped.filter(account=owner.account).exists()


@pytest.mark.django_db
def test_stock_cannot_go_below_zero_from_the_page(owner):
    with tenant_scope(owner.account_id):
        product = ProductFactory(account=owner.account, stock_quantity=1)
    page = page_client(owner).post(
        f"/products/{product.id}/",
        {"csrf_token": CSRF, "action": "stock", "change": "-5", "reason": "sale"},
    )
    assert page.status_code == 400 and b'id="action-error"' in page.content
    product.refresh_from_db()
    assert product.stock_quantity == 1


@pytest.mark.django_db
def test_a_viewer_cannot_adjust_stock(owner, member_factory):
    viewer = member_factory(owner, Role.VIEWER)
    with tenant_scope(owner.account_id):
        product = ProductFactory(account=owner.account, stock_quantity=1)
    page = page_client(viewer).post(
        f"/products/{product.id}/",
        {"csrf_token": CSRF, "action": "stock", "change": "5", "reason": "restock"},
    )
    assert page.status_code == 403


@pytest.mark.django_db
def test_another_accounts_product_is_404(owner, other_owner):
    with tenant_scope(other_owner.account_id):
        product = ProductFactory(account=other_owner.account)
    assert page_client(owner).get(f"/products/{product.id}/").status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editor_creates_a_product_with_two_images_and_stock(
    console, owner, member_factory, settings, no_ai_environment
):
    # given: an editor; media served by the live server (to see the thumbnails)
    settings.ROOT_URLCONF = "flowline.commerce.tests.media_urls"
    editor = member_factory(owner, Role.EDITOR)
    for path, name in (("categories", "Kitchen"), ("tags", "linen")):
        made = owner.client.post(f"/api/v1/products/{path}/", {"name": name}, format="json")
        assert made.status_code == 201, made.json()
    console.sign_in(editor)
    page = console.page
    console.go("/products/")
    expect(page.get_by_text("No products yet")).to_be_visible()

    # when: they create a product with two images and an opening stock of 12
    page.get_by_role("link", name="New product").first.click()
    page.get_by_label("Name").fill("Linen apron")
    page.get_by_label("SKU").fill("APR-1")
    page.get_by_label("Short description").fill("Stonewashed linen, one size.")
    page.get_by_label("Price", exact=True).fill("24.00")
    page.get_by_label("Category").select_option(label="Kitchen")
    page.get_by_label("Tags").select_option(label="linen")
    page.get_by_label("Status").select_option("active")
    page.get_by_label("Opening stock").fill("12")
    page.get_by_label("Images").set_input_files(
        [
            {"name": "front.png", "mimeType": "image/png", "buffer": image_bytes(640, 480)},
            {
                "name": "back.jpg",
                "mimeType": "image/jpeg",
                "buffer": image_bytes(480, 640, "JPEG", noise=True),
            },
        ]
    )
    page.get_by_role("button", name="Create product").click()

    # then: the product's page shows both images as thumbnails, the stock and its history
    expect(page.get_by_role("heading", name="Linen apron")).to_be_visible()
    images = page.locator("#images [data-image]")
    expect(images).to_have_count(2)
    expect(images.first).to_contain_text("Primary")
    assert page.locator("#images img").first.evaluate("img => img.naturalWidth") > 0
    expect(page.locator("#stock-quantity")).to_have_text("12")
    expect(page.locator("#stock-history")).to_contain_text("Initial stock")

    # when: the second image is moved first, and two are sold
    second = images.nth(1).get_attribute("data-image")
    page.get_by_role("button", name="Move image 2 earlier").click()
    expect(images.first).to_have_attribute("data-image", second)
    page.get_by_label("Change").fill("-2")
    page.get_by_label("Reason").select_option("sale")
    page.get_by_role("button", name="Adjust").click()

    # then
    expect(page.locator("#stock-quantity")).to_have_text("10")
    expect(page.locator("#stock-history tbody tr").first).to_contain_text("-2")

    # when: AI writes the description
    page.get_by_role("button", name="Write it").click()
    expect(page.get_by_text("Description generated.")).to_be_visible()
    assert page.get_by_label("Description", exact=True).input_value() != ""
    console.shot("commerce-product")

    # and: the list shows it with its thumbnail and stock
    console.go("/products/?search=apron")
    expect(page.locator("#list-table tbody tr")).to_have_count(1)
    expect(page.locator("#list-table tbody tr img")).to_be_visible()
    expect(page.locator("#list-table tbody tr")).to_contain_text("Kitchen")
    console.shot("commerce-products")
    product = Product.unscoped.get(account=owner.account)
    assert product.stock_quantity == 10
    assert StockAdjustment.unscoped.filter(product=product).count() == 2
