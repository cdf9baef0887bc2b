"""`planner/keywords/`: CRUD, 003's filters, search and ordering, bulk actions, seeds,
tenancy and plan limits, through the HTTP API."""

import pytest

from flowline.core.roles import Role
from flowline.planner.models import Cluster, Keyword
from flowline.planner.tests.conftest import API
from flowline.planner.tests.factories import ClusterFactory, KeywordFactory
from flowline.reference.models import Industry, IndustrySector, SeedKeyword
from flowline.sites.tests.factories import SectorFactory

pytestmark = pytest.mark.django_db
URL = f"{API}/keywords/"


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_create_read_update_delete_a_keyword(owner, sector):
    # when
    response = owner.client.post(
        URL,
        {"keyword": "  Yoga   Mat ", "sector_id": sector.id, "volume": 900, "difficulty": 40},
        format="json",
    )

    # then
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["keyword"] == "Yoga Mat"
    assert (data["site_id"], data["sector_id"], data["sector_name"]) == (
        sector.site_id,
        sector.id,
        "Yoga",
    )
    assert data["status"] == "pending" and data["cluster_id"] is None
    detail = f"{URL}{data['id']}/"
    assert owner.client.get(detail).json()["data"]["volume"] == 900
    patched = owner.client.patch(detail, {"status": "active", "volume": 1000}, format="json")
    assert patched.status_code == 200
    assert patched.json()["data"]["status"] == "active"
    put = owner.client.put(detail, {"keyword": "yoga mats", "sector_id": sector.id}, format="json")
    assert put.status_code == 200 and put.json()["data"]["keyword"] == "yoga mats"
    assert owner.client.delete(detail).status_code == 200
    assert owner.client.get(detail).status_code == 404


def test_a_duplicate_keyword_in_the_sector_is_400_whatever_its_case_and_spacing(owner, sector):
    KeywordFactory(account=owner.account, sector=sector, keyword="yoga mat")
    response = owner.client.post(
        URL, {"keyword": "YOGA  mat", "sector_id": sector.id}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate" and "keyword" in response.json()["errors"]
    # the same keyword in another sector is fine
    other = SectorFactory(account=owner.account, site=sector.site)
    assert (
        owner.client.post(
            URL, {"keyword": "yoga mat", "sector_id": other.id}, format="json"
        ).status_code
        == 201
    )


def test_references_to_another_accounts_rows_are_400(owner, sector, foreign_sector):
    foreign_cluster = ClusterFactory(account=foreign_sector.account, sector=foreign_sector)
    for body in (
        {"keyword": "a", "sector_id": foreign_sector.id},
        {"keyword": "b", "sector_id": sector.id, "site_id": foreign_sector.site_id},
        {"keyword": "c", "sector_id": sector.id, "cluster_id": foreign_cluster.id},
    ):
        response = owner.client.post(URL, body, format="json")
        assert response.status_code == 400, body
        assert response.json()["success"] is False
    assert not Keyword.unscoped.filter(account=owner.account).exists()


def test_a_sector_of_another_site_or_a_cluster_of_another_sector_is_400(owner, sector):
    other_site_sector = SectorFactory(account=owner.account)
    response = owner.client.post(
        URL,
        {"keyword": "x", "sector_id": other_site_sector.id, "site_id": sector.site_id},
        format="json",
    )
    assert response.status_code == 400 and "sector_id" in response.json()["errors"]
    cluster = ClusterFactory(account=owner.account, sector=other_site_sector)
    response = owner.client.post(
        URL, {"keyword": "x", "sector_id": sector.id, "cluster_id": cluster.id}, format="json"
    )
    assert response.status_code == 400 and "cluster_id" in response.json()["errors"]


def test_another_accounts_keywords_are_404_and_never_listed(owner, other_owner, foreign_sector):
    theirs = KeywordFactory(account=other_owner.account, sector=foreign_sector)
    assert owner.client.get(f"{URL}{theirs.id}/").status_code == 404
    assert owner.client.patch(f"{URL}{theirs.id}/", {"volume": 1}, format="json").status_code == 404
    assert owner.client.delete(f"{URL}{theirs.id}/").status_code == 404
    assert _ids(owner.client.get(URL)) == []
    for action, body in (
        ("bulk_delete", {"ids": [theirs.id]}),
        ("bulk_update_status", {"ids": [theirs.id], "status": "archived"}),
        ("auto_cluster", {"ids": [theirs.id]}),
    ):
        response = owner.client.post(f"{URL}{action}/", body, format="json")
        assert response.status_code == 404, action
    theirs.refresh_from_db()
    assert theirs.status == "pending"


def test_filters_from_003(owner, sector):
    other_sector = SectorFactory(account=owner.account)
    cluster = ClusterFactory(account=owner.account, sector=sector)
    seed = _seed("yoga mat")
    a = KeywordFactory(
        account=owner.account,
        sector=sector,
        volume=100,
        difficulty=10,
        intent="commercial",
        status="active",
        cluster=cluster,
        seed_keyword=seed,
    )
    b = KeywordFactory(account=owner.account, sector=sector, volume=500, difficulty=50)
    c = KeywordFactory(
        account=owner.account, sector=other_sector, volume=2000, difficulty=90, status="archived"
    )
    cases = {
        "status=active": [a.id],
        f"cluster_id={cluster.id}": [a.id],
        "seed_keyword__intent=commercial": [a.id],
        f"seed_keyword_id={seed.id}": [a.id],
        "difficulty_min=50": [c.id, b.id],
        "difficulty_max=50": [b.id, a.id],
        "volume_min=500": [c.id, b.id],
        "volume_max=500": [b.id, a.id],
        f"site_id={sector.site_id}": [b.id, a.id],
        f"sector_id={other_sector.id}": [c.id],
        "unclustered=true": [c.id, b.id],
        "volume_min=200&volume_max=1000": [b.id],
    }
    for query, expected in cases.items():
        assert _ids(owner.client.get(f"{URL}?{query}")) == expected, query
    assert owner.client.get(f"{URL}?status=bogus").status_code == 400


def test_search_and_ordering_from_003(owner, sector):
    low = KeywordFactory(account=owner.account, sector=sector, keyword="yoga mat", volume=10)
    high = KeywordFactory(
        account=owner.account, sector=sector, keyword="yoga blocks", volume=90, difficulty=5
    )
    mid = KeywordFactory(
        account=owner.account, sector=sector, keyword="coffee", volume=50, difficulty=70
    )
    assert _ids(owner.client.get(f"{URL}?search=YOGA")) == [high.id, low.id]
    assert _ids(owner.client.get(URL)) == [mid.id, high.id, low.id]  # newest first
    assert _ids(owner.client.get(f"{URL}?ordering=created_at")) == [low.id, high.id, mid.id]
    assert _ids(owner.client.get(f"{URL}?ordering=-seed_keyword__volume")) == [
        high.id,
        mid.id,
        low.id,
    ]
    assert _ids(owner.client.get(f"{URL}?ordering=seed_keyword__difficulty")) == [
        high.id,
        low.id,
        mid.id,
    ]
    assert _ids(owner.client.get(f"{URL}?ordering=volume")) == [low.id, mid.id, high.id]


def test_bulk_delete_and_status_keep_cluster_totals_right(owner, sector):
    cluster = ClusterFactory(account=owner.account, sector=sector)
    rows = [
        KeywordFactory(account=owner.account, sector=sector, cluster=cluster, volume=v)
        for v in (10, 20, 30)
    ]
    owner.client.patch(f"{URL}{rows[0].id}/", {"volume": 15}, format="json")
    cluster.refresh_from_db()
    assert (cluster.keywords_count, cluster.volume) == (3, 65)

    response = owner.client.post(
        f"{URL}bulk_update_status/", {"ids": [r.id for r in rows], "status": "archived"}
    )
    assert response.json()["data"] == {"updated_count": 3}
    response = owner.client.post(f"{URL}bulk_delete/", {"ids": [rows[0].id, rows[1].id]})
    assert response.status_code == 200 and response.json()["data"] == {"deleted_count": 2}
    cluster.refresh_from_db()
    assert (cluster.keywords_count, cluster.volume) == (1, 30)
    assert Keyword.unscoped.get(id=rows[2].id).status == "archived"

    # moving the last keyword out and deleting one directly
    other = ClusterFactory(account=owner.account, sector=sector)
    owner.client.patch(f"{URL}{rows[2].id}/", {"cluster_id": other.id}, format="json")
    cluster.refresh_from_db()
    other.refresh_from_db()
    assert (cluster.keywords_count, cluster.volume, other.keywords_count, other.volume) == (
        0,
        0,
        1,
        30,
    )
    owner.client.delete(f"{URL}{rows[2].id}/")
    other.refresh_from_db()
    assert (other.keywords_count, other.volume) == (0, 0)


def test_bulk_actions_are_all_or_nothing_with_a_foreign_id(owner, sector, foreign_sector):
    mine = KeywordFactory(account=owner.account, sector=sector)
    theirs = KeywordFactory(account=foreign_sector.account, sector=foreign_sector)
    response = owner.client.post(f"{URL}bulk_delete/", {"ids": [mine.id, theirs.id]})
    assert response.status_code == 404 and response.json()["errors"]["ids"] == [theirs.id]
    assert Keyword.unscoped.filter(id__in=[mine.id, theirs.id]).count() == 2


def _seed(text, *, sector=None, volume=1200, difficulty=35, intent="commercial"):
    industry, _ = Industry.objects.get_or_create(slug="test-fitness", defaults={"name": "Fit"})
    industry_sector = (
        sector
        or IndustrySector.objects.get_or_create(
            industry=industry, slug="test-yoga", defaults={"name": "Yoga"}
        )[0]
    )
    return SeedKeyword.objects.create(
        keyword=text,
        industry=industry,
        sector=industry_sector,
        volume=volume,
        difficulty=difficulty,
        intent=intent,
    )


def test_bulk_add_from_seed_copies_metrics_and_skips_keywords_already_there(owner, sector):
    seeds = [_seed("yoga mat"), _seed("yoga blocks", volume=300)]
    KeywordFactory(account=owner.account, sector=sector, keyword="Yoga Mat")

    response = owner.client.post(
        f"{URL}bulk_add_from_seed/",
        {
            "seed_keyword_ids": [s.id for s in seeds],
            "site_id": sector.site_id,
            "sector_id": sector.id,
        },
    )

    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["added_count"] == 1 and data["skipped_seed_keyword_ids"] == [seeds[0].id]
    added = data["keywords"][0]
    assert (added["keyword"], added["volume"], added["difficulty"], added["intent"]) == (
        "yoga blocks",
        300,
        35,
        "commercial",
    )
    assert added["seed_keyword_id"] == seeds[1].id


def test_bulk_add_from_seed_refuses_unknown_seeds_and_foreign_sectors(
    owner, sector, foreign_sector
):
    seed = _seed("yoga mat")
    response = owner.client.post(
        f"{URL}bulk_add_from_seed/", {"seed_keyword_ids": [seed.id, 999999], "sector_id": sector.id}
    )
    assert response.status_code == 400 and response.json()["errors"]["seed_keyword_ids"] == [999999]
    response = owner.client.post(
        f"{URL}bulk_add_from_seed/", {"seed_keyword_ids": [seed.id], "sector_id": foreign_sector.id}
    )
    assert response.status_code == 400 and "sector_id" in response.json()["errors"]
    # a sector chosen from an industry only takes that industry sector's seeds
    other_industry_sector = IndustrySector.objects.create(
        industry=seed.industry, name="Pilates", slug="test-pilates"
    )
    sector.industry_sector = other_industry_sector
    sector.save()
    response = owner.client.post(
        f"{URL}bulk_add_from_seed/", {"seed_keyword_ids": [seed.id], "sector_id": sector.id}
    )
    assert response.status_code == 400
    assert not Keyword.unscoped.filter(account=owner.account).exists()


def test_keyword_limit_of_the_plan_is_402(owner, sector, plan_limits):
    plan_limits(max_keywords=2)
    KeywordFactory(account=owner.account, sector=sector)
    assert owner.client.post(URL, {"keyword": "two", "sector_id": sector.id}).status_code == 201
    response = owner.client.post(URL, {"keyword": "three", "sector_id": sector.id})
    assert response.status_code == 402 and response.json()["code"] == "plan_limit_exceeded"
    seeds = [_seed("s1"), _seed("s2")]
    response = owner.client.post(
        f"{URL}bulk_add_from_seed/",
        {"seed_keyword_ids": [s.id for s in seeds], "sector_id": sector.id},
    )
    assert response.status_code == 402
    assert Keyword.unscoped.filter(account=owner.account).count() == 2


def test_viewers_read_but_cannot_write(owner, sector, member_factory):
    viewer = member_factory(owner, Role.VIEWER)
    row = KeywordFactory(account=owner.account, sector=sector)
    assert viewer.client.get(URL).status_code == 200
    assert viewer.client.post(URL, {"keyword": "x", "sector_id": sector.id}).status_code == 403
    assert viewer.client.post(f"{URL}bulk_delete/", {"ids": [row.id]}).status_code == 403
    assert viewer.client.post(f"{URL}auto_cluster/", {"ids": [row.id]}).status_code == 403


def test_list_query_count_is_constant(owner, sector, django_assert_num_queries):
    """Pinned: authentication (1), one page with cluster and sector joined, and the
    (bounded) count only when the page does not end the list."""
    for _ in range(3):
        KeywordFactory(
            account=owner.account,
            sector=sector,
            cluster=ClusterFactory(account=owner.account, sector=sector),
        )
    owner.client.get(URL)  # warm caches (membership, plan)
    with django_assert_num_queries(2):
        few = owner.client.get(f"{URL}?page_size=100&volume_min=1&status=pending")
    for _ in range(20):
        KeywordFactory(account=owner.account, sector=sector)
    with django_assert_num_queries(2):
        many = owner.client.get(f"{URL}?page_size=100&volume_min=1&status=pending")
    with django_assert_num_queries(3):
        paged = owner.client.get(f"{URL}?page_size=10&volume_min=1&status=pending")
    assert len(few.json()["results"]) == 3 and len(many.json()["results"]) == 23
    assert few.json()["count"] == 3 and many.json()["count"] == 23
    assert paged.json()["count"] == 23 and len(paged.json()["results"]) == 10
    assert Cluster.unscoped.count() == 3


def test_bulk_update_status_refuses_an_unknown_status(owner, sector):
    row = KeywordFactory(account=owner.account, sector=sector)
    response = owner.client.post(
        f"{URL}bulk_update_status/", {"ids": [row.id], "status": "deleted"}, format="json"
    )
    assert response.status_code == 400 and "status" in response.json()["errors"]
