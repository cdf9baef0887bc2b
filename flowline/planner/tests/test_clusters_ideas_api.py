"""`planner/clusters/` and `planner/ideas/`: CRUD, filters, search, ordering, bulk actions,
idea generation as a paid job, limits and tenancy."""

import json

import pytest

from flowline.ai.testing.fixtures import use_fake_openai
from flowline.core.tenancy import tenant_scope
from flowline.planner.models import Cluster, ContentIdea, Keyword
from flowline.planner.public import generate_ideas
from flowline.planner.tests.conftest import API
from flowline.planner.tests.factories import ClusterFactory, ContentIdeaFactory, KeywordFactory
from flowline.sites.tests.factories import SectorFactory

pytestmark = pytest.mark.django_db
CLUSTERS = f"{API}/clusters/"
IDEAS = f"{API}/ideas/"


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_cluster_crud_with_read_only_totals(owner, sector):
    response = owner.client.post(
        CLUSTERS,
        {"name": "Yoga mats", "sector_id": sector.id, "keywords_count": 99, "volume": 5},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert (data["keywords_count"], data["volume"], data["site_id"]) == (0, 0, sector.site_id)
    detail = f"{CLUSTERS}{data['id']}/"
    assert owner.client.patch(detail, {"status": "archived"}).json()["data"]["status"] == "archived"
    KeywordFactory(account=owner.account, sector=sector, cluster_id=data["id"])
    assert owner.client.delete(detail).status_code == 200
    keyword = Keyword.unscoped.get(account=owner.account)
    assert keyword.cluster_id is None and keyword.status == "pending"


def test_moving_a_cluster_to_another_sector_releases_its_keywords(owner, sector):
    cluster = ClusterFactory(account=owner.account, sector=sector)
    KeywordFactory(account=owner.account, sector=sector, cluster=cluster, volume=7)
    other = SectorFactory(account=owner.account, site=sector.site)
    response = owner.client.patch(
        f"{CLUSTERS}{cluster.id}/", {"sector_id": other.id}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["data"]["keywords_count"], response.json()["data"]["volume"]) == (0, 0)
    assert not Keyword.unscoped.filter(cluster=cluster).exists()


def test_cluster_filters_search_and_ordering(owner, sector):
    other = SectorFactory(account=owner.account)
    a = ClusterFactory(account=owner.account, sector=sector, name="Yoga mats", keywords_count=5)
    b = ClusterFactory(
        account=owner.account, sector=sector, name="Coffee", keywords_count=9, volume=10
    )
    c = ClusterFactory(
        account=owner.account, sector=other, name="Yoga blocks", status="archived", volume=50
    )
    assert _ids(owner.client.get(f"{CLUSTERS}?status=archived")) == [c.id]
    assert _ids(owner.client.get(f"{CLUSTERS}?sector_id={sector.id}")) == [b.id, a.id]
    assert _ids(owner.client.get(f"{CLUSTERS}?site_id={other.site_id}")) == [c.id]
    assert _ids(owner.client.get(f"{CLUSTERS}?search=yoga")) == [c.id, a.id]
    assert _ids(owner.client.get(f"{CLUSTERS}?ordering=-keywords_count")) == [b.id, a.id, c.id]
    assert _ids(owner.client.get(f"{CLUSTERS}?ordering=-volume")) == [c.id, b.id, a.id]
    assert _ids(owner.client.get(f"{CLUSTERS}?ordering=created_at")) == [a.id, b.id, c.id]


def test_cluster_bulk_delete_and_tenancy(owner, sector, foreign_sector):
    mine = ClusterFactory(account=owner.account, sector=sector)
    theirs = ClusterFactory(account=foreign_sector.account, sector=foreign_sector)
    response = owner.client.post(f"{CLUSTERS}bulk_delete/", {"ids": [mine.id, theirs.id]})
    assert response.status_code == 404
    response = owner.client.post(f"{CLUSTERS}auto_generate_ideas/", {"ids": [theirs.id]})
    assert response.status_code == 404
    assert owner.client.get(f"{CLUSTERS}{theirs.id}/").status_code == 404
    response = owner.client.post(f"{CLUSTERS}bulk_delete/", {"ids": [mine.id]})
    assert response.json()["data"] == {"deleted_count": 1}
    assert Cluster.unscoped.filter(id=theirs.id).exists()


def test_cluster_limit_of_the_plan_is_402(owner, sector, plan_limits):
    plan_limits(max_clusters=1)
    ClusterFactory(account=owner.account, sector=sector)
    response = owner.client.post(CLUSTERS, {"name": "x", "sector_id": sector.id})
    assert response.status_code == 402 and response.json()["code"] == "plan_limit_exceeded"


def test_idea_crud_filters_and_search(owner, sector, foreign_sector):
    cluster = ClusterFactory(account=owner.account, sector=sector)
    response = owner.client.post(
        IDEAS,
        {
            "idea_title": "The complete guide to yoga mats",
            "sector_id": sector.id,
            "cluster_id": cluster.id,
            "content_type": "guide",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    created = response.json()["data"]
    assert created["cluster_name"] == cluster.name and created["status"] == "new"
    other = ContentIdeaFactory(
        account=owner.account, sector=sector, idea_title="Coffee", status="queued"
    )
    assert _ids(owner.client.get(f"{IDEAS}?cluster_id={cluster.id}")) == [created["id"]]
    assert _ids(owner.client.get(f"{IDEAS}?status=queued")) == [other.id]
    assert _ids(owner.client.get(f"{IDEAS}?content_type=guide")) == [created["id"]]
    assert _ids(owner.client.get(f"{IDEAS}?search=yoga")) == [created["id"]]
    assert _ids(owner.client.get(f"{IDEAS}?sector_id={sector.id}")) == [other.id, created["id"]]
    assert _ids(owner.client.get(f"{IDEAS}?site_id={foreign_sector.site_id}")) == []
    foreign_cluster = ClusterFactory(account=foreign_sector.account, sector=foreign_sector)
    response = owner.client.patch(
        f"{IDEAS}{created['id']}/", {"cluster_id": foreign_cluster.id}, format="json"
    )
    assert response.status_code == 400
    response = owner.client.post(f"{IDEAS}bulk_delete/", {"ids": [created["id"], other.id]})
    assert response.json()["data"] == {"deleted_count": 2}


def test_idea_limit_of_the_plan_is_402(owner, sector, plan_limits):
    plan_limits(max_ideas=1)
    ContentIdeaFactory(account=owner.account, sector=sector)
    response = owner.client.post(IDEAS, {"idea_title": "x", "sector_id": sector.id})
    assert response.status_code == 402


def test_auto_generate_ideas_job_offline(owner, sector, run_job, credits_of):
    cluster = ClusterFactory(account=owner.account, sector=sector, name="Yoga mats")
    for text in ("yoga mat", "thick yoga mat", "travel yoga mat"):
        KeywordFactory(account=owner.account, sector=sector, cluster=cluster, keyword=text)
    before = credits_of(owner)

    response = owner.client.post(f"{CLUSTERS}auto_generate_ideas/", {"ids": [cluster.id]})

    assert response.status_code == 201, response.content
    assert response.json()["data"]["credits_held"] == 2  # ideas: 2 credits per cluster
    job = run_job(response.json()["data"]["task_id"])
    assert job.status == "completed", job.error
    ideas = ContentIdea.unscoped.filter(cluster=cluster).order_by("id")
    assert ideas.count() == job.result["ideas_created"] >= 3
    assert ideas[0].content_structure == "cluster_hub"
    assert all(i.site_id == sector.site_id and i.status == "new" for i in ideas)
    assert all(i.target_keywords for i in ideas)
    assert credits_of(owner) == (before[0] - 2, 0)


def test_idea_generation_with_a_real_provider_and_its_failure_refunds(
    owner, sector, fake_openai, run_job, credits_of
):
    provider = use_fake_openai(owner.account_id, fake_openai)
    fake_openai.responder = lambda body: json.dumps(
        {
            "ideas": [
                {
                    "title": "Yoga mats compared",
                    "content_type": "article",
                    "target_keywords": ["yoga mat"],
                },
                {"title": "", "content_type": "blog_post"},  # no title: skipped
                {
                    "title": "Cleaning a yoga mat",
                    "content_type": "nonsense",
                    "target_keywords": "yoga mat cleaner",
                },
            ]
        }
    )
    cluster = ClusterFactory(account=owner.account, sector=sector)
    started = owner.client.post(f"{CLUSTERS}auto_generate_ideas/", {"ids": [cluster.id]})
    job = run_job(started.json()["data"]["task_id"])
    assert job.status == "completed", job.error
    rows = list(ContentIdea.unscoped.filter(cluster=cluster).order_by("id"))
    assert [(r.idea_title, r.content_type, r.target_keywords) for r in rows] == [
        ("Yoga mats compared", "article", "yoga mat"),
        ("Cleaning a yoga mat", "blog_post", "yoga mat cleaner"),
    ]

    provider.api_key = "server-error"
    provider.save()
    before = credits_of(owner)
    started = owner.client.post(f"{CLUSTERS}auto_generate_ideas/", {"ids": [cluster.id]})
    job = run_job(started.json()["data"]["task_id"])
    assert job.status in ("queued", "failed")  # retried with backoff, then failed
    while job.status == "queued":
        job = run_job(job.id)
    assert job.status == "failed"
    assert credits_of(owner) == before
    assert ContentIdea.unscoped.filter(cluster=cluster).count() == 2


def test_public_generate_ideas_stops_at_the_idea_limit(owner, sector, plan_limits):
    from flowline.core.errors import PaymentRequiredError

    plan_limits(max_ideas=2)
    cluster = ClusterFactory(account=owner.account, sector=sector)
    for text in ("yoga mat", "thick yoga mat", "travel yoga mat"):
        KeywordFactory(account=owner.account, sector=sector, cluster=cluster, keyword=text)
    with pytest.raises(PaymentRequiredError), tenant_scope(owner.account_id):
        generate_ideas(account_id=owner.account_id, cluster_ids=[cluster.id])
    assert not ContentIdea.unscoped.filter(account=owner.account).exists()


def test_idea_query_counts_are_constant(owner, sector, django_assert_num_queries):
    cluster = ClusterFactory(account=owner.account, sector=sector)
    for _ in range(3):
        ContentIdeaFactory(account=owner.account, sector=sector, cluster=cluster)
    owner.client.get(IDEAS)
    with django_assert_num_queries(3):
        owner.client.get(f"{IDEAS}?page_size=100")
    with django_assert_num_queries(3):
        owner.client.get(f"{CLUSTERS}?page_size=100")


def test_bulk_queue_to_writer_creates_tasks_once_and_marks_ideas_queued(
    owner, sector, foreign_sector
):
    from flowline.writer.models import Task

    cluster = ClusterFactory(account=owner.account, sector=sector)
    ideas = [
        ContentIdeaFactory(account=owner.account, sector=sector, cluster=cluster) for _ in range(2)
    ]
    theirs = ContentIdeaFactory(account=foreign_sector.account, sector=foreign_sector)
    url = f"{IDEAS}bulk_queue_to_writer/"

    # a foreign id: 404, nothing queued
    response = owner.client.post(url, {"ids": [ideas[0].id, theirs.id]})
    assert response.status_code == 404
    assert not Task.unscoped.filter(account_id=owner.account_id).exists()

    response = owner.client.post(url, {"ids": [i.id for i in ideas]})
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["tasks_created"] == 2
    assert {t["title"] for t in data["tasks"]} == {i.idea_title for i in ideas}
    assert set(
        ContentIdea.unscoped.filter(id__in=[i.id for i in ideas]).values_list("status", flat=True)
    ) == {"queued"}
    tasks = Task.unscoped.filter(account_id=owner.account_id)
    assert {t.idea_id for t in tasks} == {i.id for i in ideas}
    assert {(t.site_id, t.sector_id, t.cluster_id) for t in tasks} == {
        (sector.site_id, sector.id, cluster.id)
    }

    # queueing again writes nothing twice
    again = owner.client.post(url, {"ids": [i.id for i in ideas]})
    assert again.json()["data"]["tasks_created"] == 0 and tasks.count() == 2


def test_an_idea_run_failing_on_its_second_cluster_saves_nothing_and_refunds(
    owner, sector, fake_openai, run_job, credits_of
):
    use_fake_openai(owner.account_id, fake_openai)
    answers = iter(
        [json.dumps({"ideas": [{"title": "First cluster idea"}]}), json.dumps({"ideas": []})]
    )
    fake_openai.responder = lambda body: next(answers)
    clusters = [ClusterFactory(account=owner.account, sector=sector) for _ in range(2)]
    before = credits_of(owner)

    started = owner.client.post(
        f"{CLUSTERS}auto_generate_ideas/", {"ids": [c.id for c in clusters]}
    ).json()["data"]
    job = run_job(started["task_id"])

    assert job.status == "failed" and job.error_code == "empty_answer"
    assert not ContentIdea.unscoped.filter(account=owner.account).exists()
    assert credits_of(owner) == before


def test_members_cannot_set_the_statuses_the_system_sets(owner, sector):
    idea = ContentIdeaFactory(account=owner.account, sector=sector)

    # the system's statuses: refused on create and on update
    for status in ("queued", "completed"):
        response = owner.client.patch(f"{IDEAS}{idea.id}/", {"status": status})
        assert response.status_code == 400, response.content
        assert "status" in response.json()["errors"]
    created = owner.client.post(
        IDEAS, {"idea_title": "Sneaky", "sector_id": sector.id, "status": "completed"}
    )
    assert created.status_code == 400

    # archived and new are the member's to set; a queued idea can still be edited
    assert owner.client.patch(f"{IDEAS}{idea.id}/", {"status": "archived"}).status_code == 200
    ContentIdea.unscoped.filter(id=idea.id).update(status="queued")
    edited = owner.client.patch(f"{IDEAS}{idea.id}/", {"status": "queued", "idea_title": "New"})
    assert edited.status_code == 200, edited.content
    idea.refresh_from_db()
    assert (idea.status, idea.idea_title) == ("queued", "New")
