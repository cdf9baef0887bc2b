"""Rich-text fields (descriptions shown as HTML: products, categories, sites/brands,
campaigns, WordPress taxonomies) are sanitised on the way in, whoever writes them."""

import pytest

from flowline.campaigns.tests.factories import CampaignFactory
from flowline.commerce.models import Product
from flowline.commerce.tests.factories import ProductCategoryFactory, ProductFactory
from flowline.core.richtext import sanitize_rich_text
from flowline.sites.tests.factories import SiteFactory
from flowline.writer.tests.factories import TaxonomyFactory

API = "/api/v1"
HOSTILE = (
    "<p>Soft <b>cotton</b></p><script>alert(document.cookie)</script>"
    '<img src=x onerror="alert(1)"><a href="javascript:alert(1)">more</a>'
    '<a href="https://shop.test/tee" onclick="steal()">tee</a>'
    '<svg onload="alert(1)"><circle/></svg><iframe src="https://evil.test"></iframe>'
)


def _assert_harmless(html: str) -> None:
    lowered = html.lower()
    for needle in ("<script", "onerror", "onclick", "onload", "javascript:", "<img", "<svg",
                   "<iframe", "alert("):  # fmt: skip
        assert needle not in lowered, html
    assert "<b>cotton</b>" in html
    assert '<a href="https://shop.test/tee" rel="noopener nofollow">tee</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "make"),
    [
        ("products/{id}/", lambda account: ProductFactory(account=account)),
        ("products/categories/{id}/", lambda account: ProductCategoryFactory(account=account)),
        ("auth/sites/{id}/", lambda account: SiteFactory(account=account)),
        ("brands/{id}/", lambda account: SiteFactory(account=account)),
        ("campaigns/{id}/", lambda account: CampaignFactory(account=account)),
        ("writer/taxonomies/{id}/", lambda account: TaxonomyFactory(account=account)),
    ],
)
def test_descriptions_lose_scripts_handlers_and_javascript_urls(owner, path, make):
    # given
    row = make(owner.account)

    # when
    response = owner.client.patch(
        f"{API}/{path.format(id=row.id)}", {"description": HOSTILE}, format="json"
    )

    # then: the answer shows what was stored, and neither can run anything
    assert response.status_code == 200, response.content
    _assert_harmless(response.json()["data"]["description"])
    row.refresh_from_db()
    _assert_harmless(row.description)


@pytest.mark.django_db
def test_a_created_product_is_sanitised_too(owner):
    response = owner.client.post(
        f"{API}/products/",
        {"name": "Tee", "price": "10.00", "description": HOSTILE},
        format="json",
    )

    assert response.status_code == 201, response.content
    _assert_harmless(response.json()["data"]["description"])


@pytest.mark.django_db
def test_plain_text_descriptions_are_kept_exactly(owner):
    # given
    product = ProductFactory(account=owner.account)
    text = "Salt & Pepper: 2 < 3, \"quoted\" and 'single'\n\nSecond paragraph"

    # when
    response = owner.client.patch(
        f"{API}/products/{product.id}/", {"description": text}, format="json"
    )

    # then
    assert response.json()["data"]["description"] == text
    product.refresh_from_db()
    assert product.description == text


@pytest.mark.django_db
def test_updates_that_skip_save_are_sanitised(owner):
    # given
    product = ProductFactory(account=owner.account)

    # when: a queryset update, as bulk code paths write
    Product.unscoped.filter(id=product.id).update(description=HOSTILE)

    # then
    product.refresh_from_db()
    _assert_harmless(product.description)


@pytest.mark.django_db
def test_rows_written_before_are_sanitised_when_read(owner):
    # given: a description stored raw, as before this field sanitised
    from django.db import connection

    product = ProductFactory(account=owner.account)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Product._meta.db_table} SET description = %s WHERE id = %s",
            [HOSTILE, product.id],
        )

    # when
    response = owner.client.get(f"{API}/products/{product.id}/")

    # then
    _assert_harmless(response.json()["data"]["description"])


@pytest.mark.parametrize(
    "text", ["Tom & Jerry", "a<b", "x <3 y", "&lt;script&gt;", "javascript:alert(1)", ""]
)
def test_text_without_markup_survives_or_is_made_inert(text):
    cleaned = sanitize_rich_text(text)

    assert cleaned == text or "<" not in cleaned
