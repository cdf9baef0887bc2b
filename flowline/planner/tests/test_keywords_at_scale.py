"""`planner/keywords/` at scale (issue 18): indexed substring search, counts that say when
they are estimates, keyset pages by `cursor`; through the HTTP API, on SQLite (FTS5) and
PostgreSQL (pg_trgm) alike."""

import pytest

from flowline.planner.tests.conftest import API
from flowline.planner.tests.factories import KeywordFactory

pytestmark = pytest.mark.django_db
URL = f"{API}/keywords/"


def _keywords(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["keyword"] for row in response.json()["results"])


def test_search_finds_substrings_of_every_term_and_follows_edits(owner, other_owner, sector):
    # given
    for text in ("Best YOGA mat", "yoga  blocks", "coffee grinder", "yogurt maker", "100% cotton"):
        KeywordFactory(account=owner.account, sector=sector, keyword=text)
    renamed = KeywordFactory(account=owner.account, sector=sector, keyword="tea kettle")
    removed = KeywordFactory(account=owner.account, sector=sector, keyword="yoga wheel")
    KeywordFactory(account=other_owner.account, keyword="yoga strap")  # another tenant's

    # when
    owner.client.patch(f"{URL}{renamed.id}/", {"keyword": "Yoga kettle bell"}, format="json")
    owner.client.delete(f"{URL}{removed.id}/")

    # then
    get = owner.client.get
    assert _keywords(get(f"{URL}?search=YOGA")) == [
        "Best YOGA mat",
        "Yoga kettle bell",
        "yoga  blocks",
    ]
    assert _keywords(get(f"{URL}?search=ga mat")) == ["Best YOGA mat"]  # every term, anywhere
    assert _keywords(get(f"{URL}?search=yog")) == [
        "Best YOGA mat", "Yoga kettle bell", "yoga  blocks", "yogurt maker"
    ]  # fmt: skip
    assert _keywords(get(f"{URL}?search=yo")) == _keywords(get(f"{URL}?search=yog"))  # < 3 chars
    assert _keywords(get(f"{URL}?search=tea")) == []  # the old text is gone from the index
    assert _keywords(get(f"{URL}?search=wheel")) == []
    assert _keywords(get(f"{URL}?search=0%")) == ["100% cotton"]  # LIKE's wildcards are text
    assert _keywords(get(f"{URL}?search=%25")) == ["100% cotton"]
    assert _keywords(get(f"{URL}?search=_")) == []
    assert _keywords(get(f'{URL}?search="yoga')) == []  # FTS5 syntax is text too
    assert get(f"{URL}?search=strap").json()["count"] == 0


def test_the_count_beyond_the_exact_limit_is_flagged_as_an_estimate(owner, sector, settings):
    # given
    settings.LIST_EXACT_COUNT_LIMIT = 5
    for n in range(12):
        KeywordFactory(account=owner.account, sector=sector, keyword=f"yoga {n}", volume=n)

    # when
    big = owner.client.get(f"{URL}?page_size=2").json()
    small = owner.client.get(f"{URL}?page_size=2&volume_max=3").json()
    last = owner.client.get(f"{URL}?page_size=5&page=3").json()
    default = owner.client.get(f"{URL}?page_size=2&search=yoga 1").json()  # yoga 1, 10, 11

    # then
    assert big["count_is_estimate"] is True and big["count"] > 5
    assert big["next"] is not None and len(big["results"]) == 2
    assert (small["count"], small["count_is_estimate"]) == (4, False)
    assert (last["count"], last["count_is_estimate"], last["next"]) == (12, False, None)
    assert (default["count"], default["count_is_estimate"]) == (3, False)
    assert owner.client.get(f"{URL}?page_size=5&page=4").status_code == 404  # past the end


@pytest.mark.parametrize("ordering", ["", "&ordering=-volume", "&ordering=keyword"])
def test_cursor_pages_walk_the_same_list_forwards_and_back(owner, sector, ordering):
    # given: volumes with ties, so the primary key must break them
    for n in range(23):
        KeywordFactory(account=owner.account, sector=sector, keyword=f"kw {n:02}", volume=n % 4)
    everything = owner.client.get(f"{URL}?page_size=100{ordering}").json()["results"]

    # when
    pages, url = [], f"{URL}?page_size=5&cursor={ordering}"
    while url:
        body = owner.client.get(url).json()
        pages.append([row["id"] for row in body["results"]])
        url = body["next"]
    back, url = [], body["previous"]
    while url:
        body = owner.client.get(url).json()
        back.insert(0, [row["id"] for row in body["results"]])
        url = body["previous"]

    # then
    assert [i for page in pages for i in page] == [row["id"] for row in everything]
    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]
    assert back == pages[:-1]
    assert body["count"] == 23


def test_a_bad_cursor_is_400(owner, sector):
    # given
    for n in range(3):
        KeywordFactory(account=owner.account, sector=sector, volume=n)
    first = owner.client.get(f"{URL}?page_size=1&cursor=").json()
    cursor = first["next"].split("cursor=")[1].split("&")[0]

    # when / then
    for query in (f"cursor={cursor}&ordering=volume", "cursor=bm9wZQ", "cursor=%%%"):
        response = owner.client.get(f"{URL}?page_size=1&{query}")
        assert response.status_code == 400, query
        assert response.json()["success"] is False and "cursor" in response.json()["errors"]
    assert owner.client.get(f"{URL}?page_size=1&cursor={cursor}").status_code == 200
