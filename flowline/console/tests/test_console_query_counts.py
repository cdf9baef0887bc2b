"""The console pages benchmarks/console_pages.py measures run a fixed number of queries,
whatever the rows: no N+1 behind a table's cells, no query added to a page unseen.

Each page authenticates (one membership query), then calls the API's list in process,
which authenticates again (one more). The counts below are for lists under the
exact-count limit; beyond it the keyword table's count is an estimate (one query
either way, which benchmarks/console_pages.py shows over 100,000 keywords)."""

import pytest

from flowline.core.testing.pages import page_client
from flowline.planner.tests.factories import ClusterFactory, KeywordFactory
from flowline.sites.tests.factories import SectorFactory

pytestmark = pytest.mark.django_db

PAGES = {
    # the page's and the API's authentication, the page of keywords (one query with
    # their sectors and clusters), its bounded count (the page does not end the list),
    # the sector filter's labels, and the shell's: the account switcher's memberships,
    # the jobs panel, the notifications bell's unread count
    "/planner/keywords/": 8,
    "/planner/keywords/?page_size=5&page=2&status=active": 8,
    # a page that ends the list knows its count without a query
    "/planner/keywords/?page_size=100": 7,
    "/planner/keywords/?page_size=100&status=active&ordering=-volume&sector_id={sector}": 7,
    "/planner/keywords/?page_size=100&search=yoga": 7,
    "/planner/clusters/": 8,
    "/": 7,
}


def _seed(owner, rows: int) -> int:
    sectors = [SectorFactory(account=owner.account) for _ in range(2)]
    clusters = [ClusterFactory(account=owner.account, sector=s) for s in sectors]
    for n in range(rows):
        KeywordFactory(
            account=owner.account,
            sector=sectors[n % 2],
            cluster=clusters[n % 2] if n % 3 else None,
            keyword=f"yoga mat {n}",
            status="active",
        )
    return sectors[0].id


@pytest.mark.parametrize(("path", "queries"), PAGES.items())
@pytest.mark.parametrize("rows", [12, 40])
def test_console_page_queries_do_not_grow_with_its_rows(
    owner, path, queries, rows, django_assert_num_queries
):
    # given
    sector = _seed(owner, rows)
    client = page_client(owner)
    url = path.format(sector=sector)
    assert client.get(url).status_code == 200  # caches warmed as on any later request

    # when / then
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
