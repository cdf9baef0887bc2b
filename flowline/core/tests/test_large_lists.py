"""The lists that reach 100,000s of rows (issue 18) page like the planner's keywords: an
exact count in the plain envelope while it is small, a flagged estimate beyond
`LIST_EXACT_COUNT_LIMIT`, and `?cursor=` pages that walk the same rows as `page`."""

import pytest

from config.api_router import router
from flowline.chat.tests.factories import ConversationFactory
from flowline.core.testing.factories import factory_for

pytestmark = pytest.mark.django_db
API = "/api/v1"
LARGE_LISTS = [
    "writer-task",
    "writer-content",
    "product",
    "notification",
    "job",
    "credittransaction",
    "webhookdelivery",
    "analyticsevent",
]
ROUTES = {basename: (prefix, viewset) for prefix, viewset, basename in router.registry}


def _list_with_rows(owner, basename: str, rows: int) -> str:
    """The list's URL, with `rows` rows of the owner's account in it."""
    if basename == "message":
        conversation = ConversationFactory(account=owner.account)
        url = f"{API}/chat/conversations/{conversation.id}/messages/"
        for n in range(rows):
            assert owner.client.post(url, {"body": f"m{n}"}, format="json").status_code == 201
        return url
    prefix, viewset = ROUTES[basename]
    factory = factory_for(basename, viewset.model)
    for _ in range(rows):
        factory(account=owner.account)
    return f"{API}/{prefix}/"


def _ids(url: str, client, **params) -> list:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_a_page_beyond_what_a_database_can_offset_is_not_found(owner):
    # given: a page number whose OFFSET does not fit in 64 bits (found by make fuzz)
    url = _list_with_rows(owner, "job", 1)

    # when
    response = owner.client.get(url, {"page": 987774192713187200})

    # then
    assert response.status_code == 404, response.content


@pytest.mark.parametrize("basename", [*LARGE_LISTS, "message"])
def test_a_small_list_answers_the_plain_envelope(owner, basename):
    # given
    url = _list_with_rows(owner, basename, 3)

    # when
    body = owner.client.get(url, {"page_size": 2}).json()

    # then: the shape of every other list, with the exact count
    assert set(body) == {"success", "count", "next", "previous", "results"}
    assert body["count"] >= 3 and len(body["results"]) == 2


@pytest.mark.parametrize("basename", [*LARGE_LISTS, "message"])
def test_beyond_the_limit_the_count_is_a_flagged_estimate_and_cursors_walk_the_list(
    owner, basename, settings
):
    # given
    settings.LIST_EXACT_COUNT_LIMIT = 3
    url = _list_with_rows(owner, basename, 7)
    everything = _ids(url, owner.client, page_size=100)

    # when: the list by cursor, three at a time
    walked, params = [], {"page_size": 3, "cursor": ""}
    while True:
        body = owner.client.get(url, params).json()
        walked += [row["id"] for row in body["results"]]
        if not body["next"]:
            break
        params["cursor"] = body["next"].split("cursor=")[1].split("&")[0]
    first = owner.client.get(url, {"page_size": 2}).json()

    # then
    assert first["count_is_estimate"] is True and first["count"] > 3
    assert walked == everything and len(everything) >= 7


def _cursor(link: str) -> str:
    return link.split("cursor=")[1].split("&")[0]


@pytest.mark.parametrize("basename", ["job", "notification", "message"])
def test_page_last_is_the_numbered_last_page_while_the_count_is_exact(owner, basename):
    # given: seven rows, three a page
    url = _list_with_rows(owner, basename, 7)
    everything = _ids(url, owner.client, page_size=100)

    # when
    response = owner.client.get(url, {"page": "last", "page_size": 3})

    # then: page 3, as Django's paginator answers it, in the plain envelope
    assert response.status_code == 200, response.content
    body = response.json()
    last = -(-len(everything) // 3)
    assert body["count"] == len(everything) and "count_is_estimate" not in body
    assert [row["id"] for row in body["results"]] == everything[(last - 1) * 3 :]
    assert body["next"] is None and f"page={last - 1}" in body["previous"]


@pytest.mark.parametrize("basename", ["job", "notification", "message"])
def test_page_last_beyond_the_limit_is_the_lists_tail_with_a_cursor_back(owner, basename, settings):
    # given: more rows than the exact-count limit
    settings.LIST_EXACT_COUNT_LIMIT = 3
    url = _list_with_rows(owner, basename, 7)
    everything = _ids(url, owner.client, page_size=100)

    # when
    response = owner.client.get(url, {"page": "last", "page_size": 3})

    # then: the last three rows, in the list's order, the count flagged as an estimate
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count_is_estimate"] is True
    assert [row["id"] for row in body["results"]] == everything[-3:]
    assert body["next"] is None
    # and its previous cursor walks back to the start of the list
    walked = [row["id"] for row in body["results"]]
    params = {"page_size": 3, "cursor": _cursor(body["previous"])}
    while True:
        page = owner.client.get(url, params).json()
        walked = [row["id"] for row in page["results"]] + walked
        if not page["previous"]:
            break
        params["cursor"] = _cursor(page["previous"])
    assert walked == everything


def test_page_last_of_an_empty_list_is_an_empty_first_page(owner):
    # given
    url = _list_with_rows(owner, "job", 0)

    # when
    body = owner.client.get(url, {"page": "last"}).json()

    # then
    assert body["count"] == 0 and body["results"] == [] and body["previous"] is None


def test_page_last_for_an_ordering_no_cursor_follows_counts_once(owner, settings):
    # given: beyond the limit, ordered by a nullable column (refused by cursor)
    settings.LIST_EXACT_COUNT_LIMIT = 3
    url = _list_with_rows(owner, "job", 7)
    everything = _ids(url, owner.client, page_size=100, ordering="finished_at")

    # when
    response = owner.client.get(url, {"page": "last", "page_size": 3, "ordering": "finished_at"})

    # then: the numbered last page, with the exact count
    assert response.status_code == 200, response.content
    body = response.json()
    last = -(-len(everything) // 3)
    assert body["count"] == len(everything) and "count_is_estimate" not in body
    assert [row["id"] for row in body["results"]] == everything[(last - 1) * 3 :]
