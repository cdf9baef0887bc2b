"""`auth/industries/` and `auth/seed-keywords/`: public reference data, loaded by migration."""

import pytest

from flowline.reference.models import Industry, SeedKeyword

pytestmark = pytest.mark.django_db

INDUSTRIES = "/api/v1/auth/industries/"
KEYWORDS = "/api/v1/auth/seed-keywords/"


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_industries_are_public_and_loaded_by_migration(api_client):
    # when
    response = api_client.get(INDUSTRIES, {"page_size": 100})

    # then
    rows = _rows(response)
    assert len(rows) == Industry.objects.filter(is_active=True).count() >= 1
    health = next(row for row in rows if row["slug"] == "health-fitness")
    assert {"yoga", "running"} <= {sector["slug"] for sector in health["sectors"]}


def test_industry_detail_is_public(api_client):
    # given
    industry = Industry.objects.get(slug="technology")

    # when
    response = api_client.get(f"{INDUSTRIES}{industry.id}/")

    # then
    assert response.status_code == 200
    assert response.json()["data"]["name"] == industry.name


def test_inactive_industry_is_hidden(api_client):
    # given
    industry = Industry.objects.get(slug="technology")
    industry.is_active = False
    industry.save()

    # when
    listed = api_client.get(INDUSTRIES, {"page_size": 100})
    fetched = api_client.get(f"{INDUSTRIES}{industry.id}/")

    # then
    assert "technology" not in [row["slug"] for row in _rows(listed)]
    assert fetched.status_code == 404


def test_industries_search_and_slug_filter(api_client):
    # when
    searched = api_client.get(INDUSTRIES, {"search": "fitness"})
    filtered = api_client.get(INDUSTRIES, {"slug": "home-garden"})

    # then
    assert [row["slug"] for row in _rows(searched)] == ["health-fitness"]
    assert [row["slug"] for row in _rows(filtered)] == ["home-garden"]


def test_reference_data_is_read_only(api_client, owner):
    # given
    keyword = SeedKeyword.objects.first()

    # when
    posted = owner.client.post(INDUSTRIES, {"name": "Mine", "slug": "mine"})
    deleted = owner.client.delete(f"{KEYWORDS}{keyword.id}/")

    # then
    assert (posted.status_code, deleted.status_code) == (405, 405)
    assert SeedKeyword.objects.filter(id=keyword.id).exists()


def test_a_token_is_not_needed_and_a_bad_one_is_ignored(api_client):
    # given
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")

    # when
    response = api_client.get(KEYWORDS)

    # then
    assert response.status_code == 200


def test_seed_keywords_filter_by_industry_and_sector_slug(api_client):
    # when
    response = api_client.get(
        KEYWORDS, {"industry_slug": "health-fitness", "sector_slug": "yoga", "page_size": 100}
    )

    # then
    rows = _rows(response)
    assert len(rows) == SeedKeyword.objects.filter(sector__slug="yoga").count() > 0
    assert {(row["industry_slug"], row["sector_slug"]) for row in rows} == {
        ("health-fitness", "yoga")
    }


def test_seed_keywords_filter_by_intent(api_client):
    # given
    expected = SeedKeyword.objects.filter(intent="commercial").count()
    assert expected > 0

    # when
    body = api_client.get(KEYWORDS, {"intent": "commercial", "page_size": 100}).json()

    # then
    assert body["count"] == expected
    assert {row["intent"] for row in body["results"]} == {"commercial"}


def test_seed_keywords_filter_by_volume_range(api_client):
    # given
    expected = SeedKeyword.objects.filter(volume__gte=1000, volume__lte=3000).count()

    # when
    body = api_client.get(
        KEYWORDS, {"volume_min": 1000, "volume_max": 3000, "page_size": 100}
    ).json()

    # then
    assert body["count"] == expected > 0
    assert all(1000 <= row["volume"] <= 3000 for row in body["results"])


def test_invalid_filter_value_is_400_in_the_envelope(api_client):
    # when
    volume = api_client.get(KEYWORDS, {"volume_min": "lots"})
    intent = api_client.get(KEYWORDS, {"intent": "curious"})

    # then
    for response in (volume, intent):
        body = response.json()
        assert response.status_code == 400
        assert body["success"] is False
        assert body["code"] == "validation_error"


def test_seed_keywords_search(api_client):
    # when
    rows = _rows(api_client.get(KEYWORDS, {"search": "yoga", "page_size": 100}))

    # then
    assert rows
    assert all("yoga" in row["keyword"].lower() for row in rows)


def test_seed_keywords_ordering_by_volume(api_client):
    # when
    ascending = _rows(api_client.get(KEYWORDS, {"ordering": "volume", "page_size": 50}))
    descending = _rows(api_client.get(KEYWORDS, {"ordering": "-volume", "page_size": 50}))

    # then
    assert [row["volume"] for row in ascending] == sorted(row["volume"] for row in ascending)
    assert descending[0]["volume"] == max(SeedKeyword.objects.values_list("volume", flat=True))


def test_inactive_seed_keyword_is_hidden(api_client):
    # given
    keyword = SeedKeyword.objects.first()
    SeedKeyword.objects.filter(id=keyword.id).update(is_active=False)

    # when
    response = api_client.get(f"{KEYWORDS}{keyword.id}/")

    # then
    assert response.status_code == 404


@pytest.mark.parametrize("page_size", [5, 100])
def test_seed_keyword_list_query_count_does_not_grow_with_rows(
    api_client, page_size, django_assert_num_queries
):
    # when / then: count, page (industry and sector joined)
    with django_assert_num_queries(2):
        response = api_client.get(KEYWORDS, {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [2, 8])
def test_industry_list_query_count_does_not_grow_with_rows(
    api_client, page_size, django_assert_num_queries
):
    # when / then: count, page, sectors prefetched
    with django_assert_num_queries(3):
        response = api_client.get(INDUSTRIES, {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
