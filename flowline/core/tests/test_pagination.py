"""Lists page with `page` and `page_size`: default 10, at most 100."""

import pytest

from flowline.reference.models import SeedKeyword
from flowline.sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
KEYWORDS = f"{API}/auth/seed-keywords/"


def test_default_page_size_is_10(api_client):
    # given: the shipped seed keywords (more than 100)
    total = SeedKeyword.objects.filter(is_active=True).count()
    assert total > 100

    # when
    body = api_client.get(KEYWORDS).json()

    # then
    assert body["count"] == total
    assert len(body["results"]) == 10
    assert body["previous"] is None
    assert "page=2" in body["next"]


def test_page_size_is_honoured(api_client):
    # when
    body = api_client.get(KEYWORDS, {"page_size": 25, "page": 2}).json()

    # then
    assert len(body["results"]) == 25
    assert "page=3" in body["next"] and "page_size=25" in body["next"]
    assert "page_size=25" in body["previous"]


def test_page_size_above_the_maximum_is_capped_to_100(api_client):
    # when
    body = api_client.get(KEYWORDS, {"page_size": 1000}).json()

    # then
    assert len(body["results"]) == 100


def test_pages_do_not_overlap_and_cover_everything(owner):
    # given
    sites = SiteFactory.create_batch(23, account=owner.account)

    # when
    pages = [
        owner.client.get(f"{API}/auth/sites/", {"page": n, "page_size": 10}).json()
        for n in (1, 2, 3)
    ]

    # then
    ids = [row["id"] for page in pages for row in page["results"]]
    assert sorted(ids) == sorted(site.id for site in sites)
    assert pages[2]["next"] is None
    assert len(pages[2]["results"]) == 3


def test_page_past_the_end_is_404_in_the_envelope(api_client):
    # when
    response = api_client.get(KEYWORDS, {"page": 9999})

    # then
    body = response.json()
    assert response.status_code == 404
    assert body["success"] is False
    assert body["code"] == "not_found"


def test_non_numeric_page_is_404_in_the_envelope(api_client):
    # when
    response = api_client.get(KEYWORDS, {"page": "abc"})

    # then
    assert response.status_code == 404
    assert response.json()["success"] is False


def test_non_numeric_page_size_falls_back_to_the_default(api_client):
    # when
    response = api_client.get(KEYWORDS, {"page_size": "lots"})

    # then
    assert response.status_code == 200
    assert len(response.json()["results"]) == 10


def test_empty_list_has_count_zero(owner):
    # when
    body = owner.client.get(f"{API}/auth/sites/").json()

    # then
    assert body == {"success": True, "count": 0, "next": None, "previous": None, "results": []}
