"""Automatic clustering: the algorithm on a labelled set, and `auto_cluster` as a paid job
(offline vectors and the embeddings of a real provider, credits, failures, idempotency)."""

import json

import pytest

from flowline.ai.models import AICall
from flowline.ai.testing.fixtures import use_fake_openai
from flowline.core.tenancy import tenant_scope
from flowline.jobs.models import Job
from flowline.planner.models import Cluster, Keyword
from flowline.planner.public import cluster_keywords
from flowline.planner.services import grouping
from flowline.planner.tests.conftest import API
from flowline.planner.tests.factories import ClusterFactory, ContentIdeaFactory, KeywordFactory

pytestmark = pytest.mark.django_db
URL = f"{API}/keywords/auto_cluster/"

TOPICS = {
    "yoga mats": [
        "yoga mat",
        "best yoga mats",
        "non slip yoga mat",
        "yoga mat for beginners",
        "thick yoga mat",
        "eco friendly yoga mat",
        "yoga mat cleaner",
        "travel yoga mat",
        "cork yoga mat",
        "yoga mats reviews",
    ],
    "coffee grinders": [
        "coffee grinder",
        "burr coffee grinder",
        "best coffee grinders",
        "manual coffee grinder",
        "electric coffee grinder",
        "coffee grinder for espresso",
        "cheap coffee grinder",
        "conical burr grinder",
        "how to clean a coffee grinder",
        "coffee bean grinder",
    ],
    "dog training": [
        "dog training",
        "puppy training tips",
        "how to train a puppy",
        "dog obedience training",
        "crate training a puppy",
        "leash training dog",
        "dog training classes near me",
        "clicker training for dogs",
        "potty training puppy",
        "dog training collar",
    ],
}


def _partition(labels, truth) -> set[frozenset]:
    groups: dict[int, set] = {}
    for label, topic in zip(labels, truth, strict=True):
        groups.setdefault(label, set()).add(topic)
    return {frozenset(topics) for topics in groups.values()}


def test_three_distinct_topics_end_in_three_pure_clusters():
    texts = [keyword for keywords in TOPICS.values() for keyword in keywords]
    truth = [topic for topic, keywords in TOPICS.items() for _ in keywords]

    result = grouping.group(grouping.tfidf_vectors(texts), threshold=0.85)

    assert result.count == 3
    assert _partition(result.labels, truth) == {frozenset([topic]) for topic in TOPICS}
    for label, index in enumerate(result.representatives):
        assert result.labels[index] == label


def test_large_runs_go_through_micro_clusters_and_stay_pure(monkeypatch):
    # given: the two-stage path (k-means micro-clusters, then agglomerative on centroids)
    monkeypatch.setattr(grouping, "DIRECT_LIMIT", 10)
    texts = [keyword for keywords in TOPICS.values() for keyword in keywords]
    truth = [topic for topic, keywords in TOPICS.items() for _ in keywords]

    result = grouping.group(grouping.tfidf_vectors(texts), threshold=0.85)

    assert all(len(topics) == 1 for topics in _partition(result.labels, truth))
    assert result.count <= 6


def test_oversized_clusters_are_split(monkeypatch):
    monkeypatch.setattr(grouping, "MAX_CLUSTER_SIZE", 4)
    texts = TOPICS["yoga mats"]
    result = grouping.group(grouping.tfidf_vectors(texts), threshold=0.95)
    sizes = [result.labels.count(label) for label in range(result.count)]
    assert max(sizes) <= 4 and sum(sizes) == len(texts)


def _keywords(owner, sector):
    rows = []
    for keywords in TOPICS.values():
        for text in keywords:
            rows.append(
                KeywordFactory(account=owner.account, sector=sector, keyword=text, volume=10)
            )
    return rows


def test_auto_cluster_job_groups_by_topic_charges_credits_and_keeps_totals(
    owner, sector, run_job, credits_of
):
    rows = _keywords(owner, sector)
    old = ClusterFactory(account=owner.account, sector=sector, name="Old")
    Keyword.unscoped.filter(id=rows[0].id).update(cluster=old)
    before = credits_of(owner)

    # when
    response = owner.client.post(
        URL, {"ids": [r.id for r in rows], "sector_id": sector.id}, format="json"
    )

    # then: a job with its credits held (clustering costs 1 per 100 keywords)
    assert response.status_code == 201, response.content
    started = response.json()["data"]
    assert started["credits_held"] == 1 and started["status"] == "queued"
    job = run_job(started["task_id"])
    assert job.status == "completed", job.error
    assert job.result["clusters_created"] == 3 and job.result["keywords_clustered"] == 30
    assert credits_of(owner) == (before[0] - 1, 0)

    clusters = Cluster.unscoped.filter(id__in=job.result["cluster_ids"])
    by_topic = {}
    for cluster in clusters:
        texts = set(Keyword.unscoped.filter(cluster=cluster).values_list("keyword", flat=True))
        topic = next(t for t, words in TOPICS.items() if texts <= set(words))
        by_topic[topic] = cluster
        assert (cluster.keywords_count, cluster.volume) == (10, 100)
        assert cluster.name and cluster.description
        assert (cluster.site_id, cluster.sector_id) == (sector.site_id, sector.id)
    assert set(by_topic) == set(TOPICS)
    assert not Cluster.unscoped.filter(id=old.id).exists()  # emptied by the re-cluster
    assert set(Keyword.unscoped.filter(sector=sector).values_list("status", flat=True)) == {
        "active"
    }

    # the clusters list reflects it, ordered by 003's fields
    listed = owner.client.get(f"{API}/clusters/?ordering=-keywords_count").json()["results"]
    assert [row["keywords_count"] for row in listed] == [10, 10, 10]

    # and: the progress endpoint saw it finish
    progress = owner.client.get(f"/api/v1/system/settings/task_progress/{job.id}/").json()
    assert progress["data"]["meta"]["percentage"] == 100


def test_auto_cluster_honours_idempotency_key(owner, sector):
    rows = _keywords(owner, sector)[:5]
    body = {"ids": [r.id for r in rows]}
    first = owner.client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="cluster-1")
    again = owner.client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="cluster-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["data"]["task_id"] == again.json()["data"]["task_id"]
    assert (
        Job.unscoped.filter(account_id=owner.account_id, kind="planner.auto_cluster").count() == 1
    )
    other = owner.client.post(
        URL, {"ids": [rows[0].id]}, format="json", HTTP_IDEMPOTENCY_KEY="cluster-1"
    )
    assert other.status_code in (409, 422)


def test_auto_cluster_refuses_bad_requests(owner, sector, settings):
    rows = _keywords(owner, sector)[:3]
    other_sector = ClusterFactory(account=owner.account).sector
    stray = KeywordFactory(account=owner.account, sector=other_sector)
    response = owner.client.post(
        URL, {"ids": [rows[0].id, stray.id], "sector_id": sector.id}, format="json"
    )
    assert response.status_code == 400 and response.json()["errors"]["ids"] == [stray.id]
    settings.PLANNER_CLUSTER_MAX_KEYWORDS = 2
    response = owner.client.post(URL, {"ids": [r.id for r in rows]}, format="json")
    assert response.status_code == 400 and "ids" in response.json()["errors"]
    assert not Job.unscoped.filter(account_id=owner.account_id).exists()


def test_auto_cluster_without_credits_is_402(owner, sector):
    from flowline.billing import public as credits

    rows = _keywords(owner, sector)[:3]
    credits.credits_charge(account_id=owner.account_id, operation_type="x", amount=100)
    response = owner.client.post(URL, {"ids": [r.id for r in rows]}, format="json")
    assert response.status_code == 402
    assert not Job.unscoped.filter(account_id=owner.account_id).exists()


def test_cluster_limit_fails_the_job_changes_nothing_and_refunds(
    owner, sector, run_job, credits_of, plan_limits
):
    plan_limits(max_clusters=2)
    rows = _keywords(owner, sector)
    before = credits_of(owner)
    started = owner.client.post(URL, {"ids": [r.id for r in rows]}, format="json").json()["data"]
    job = run_job(started["task_id"])
    assert job.status == "failed" and job.error_code == "plan_limit_exceeded"
    assert credits_of(owner) == before
    assert not Cluster.unscoped.filter(account=owner.account).exists()
    assert not Keyword.unscoped.filter(account=owner.account, cluster__isnull=False).exists()


def test_a_real_provider_embeds_and_names_in_batches(owner, sector, fake_openai, run_job):
    # given: the account's provider is an OpenAI-compatible API that names clusters
    use_fake_openai(owner.account_id, fake_openai)

    def responder(body):
        listing = body["messages"][-1]["content"].split("Clusters:\n", 1)[1]
        count = len(listing.strip().splitlines())
        names = [
            {"index": i, "name": f"Topic {i}", "description": f"About topic {i}."}
            for i in range(1, count + 1)
        ]
        return json.dumps({"clusters": names})

    fake_openai.responder = responder
    rows = _keywords(owner, sector)

    # when
    started = owner.client.post(URL, {"ids": [r.id for r in rows]}, format="json").json()["data"]
    job = run_job(started["task_id"])

    # then: the vectors came from the embeddings API, the names from one chat call
    assert job.status == "completed", job.error
    paths = [request["path"] for request in fake_openai.requests]
    assert paths.count("/v1/embeddings") == 1 and paths.count("/v1/chat/completions") == 1
    embedded = next(r for r in fake_openai.requests if r["path"] == "/v1/embeddings")
    assert len(embedded["json"]["input"]) == 30
    clusters = Cluster.unscoped.filter(id__in=job.result["cluster_ids"])
    assert sum(c.keywords_count for c in clusters) == 30
    assert {c.name for c in clusters} == {f"Topic {i}" for i in range(1, len(clusters) + 1)}
    assert AICall.unscoped.filter(job_id=job.id).count() == 2


def test_a_failing_provider_fails_the_job_and_refunds(
    owner, sector, fake_openai, run_job, credits_of
):
    use_fake_openai(owner.account_id, fake_openai, api_key="bad-key")
    rows = _keywords(owner, sector)[:5]
    before = credits_of(owner)
    started = owner.client.post(URL, {"ids": [r.id for r in rows]}, format="json").json()["data"]
    job = run_job(started["task_id"])
    assert job.status == "failed" and job.error_code == "bad_key"
    assert credits_of(owner) == before
    assert not Cluster.unscoped.filter(account=owner.account).exists()


def test_public_cluster_keywords_works_inline_and_skips_missing_ids(owner, sector):
    rows = _keywords(owner, sector)
    seen = []
    with tenant_scope(owner.account_id):
        clusters = cluster_keywords(
            account_id=owner.account_id,
            keyword_ids=[r.id for r in rows] + [999_999],
            progress=lambda percentage, message: seen.append(percentage),
        )
    assert len(clusters) == 3 and seen == sorted(seen) and seen[-1] == 100
    # a cluster with ideas is kept when re-clustering empties it
    ContentIdeaFactory(account=owner.account, sector=sector, cluster=clusters[0])
    with tenant_scope(owner.account_id):
        again = cluster_keywords(account_id=owner.account_id, keyword_ids=[r.id for r in rows])
    kept = Cluster.unscoped.get(id=clusters[0].id)
    assert (kept.keywords_count, kept.volume) == (0, 0)
    assert Cluster.unscoped.filter(account=owner.account).count() == len(again) + 1


SYNONYMS = {
    "air travel": [
        "cheap flights",
        "budget airfare",
        "low cost plane tickets",
        "discount airline tickets",
    ],
    "dog training": [
        "puppy training",
        "dog obedience classes",
        "house train a puppy",
        "teach a dog to sit",
    ],
    "coffee machines": [
        "espresso machine",
        "coffee maker",
        "cappuccino machine",
        "bean to cup machine",
    ],
}


@pytest.mark.parametrize(("engine", "grouped_by_meaning"), [("wordllama", True), ("tfidf", False)])
def test_auto_cluster_groups_keywords_of_one_meaning_with_the_packaged_model(
    owner, sector, run_job, settings, engine, grouped_by_meaning
):
    # given: keywords of three topics whose keywords mostly share no word
    settings.FLOWLINE_EMBEDDINGS = engine
    topic_of = {text: topic for topic, texts in SYNONYMS.items() for text in texts}
    ids = [
        KeywordFactory(account=owner.account, sector=sector, keyword=text, volume=10).id
        for text in topic_of
    ]

    # when
    started = owner.client.post(URL, {"ids": ids}, format="json").json()["data"]
    job = run_job(started["task_id"])

    # then: with the packaged model, one cluster per topic ("cheap flights" with "budget
    # airfare"); TF-IDF, which sees no shared word, cannot put them together
    assert job.status == "completed", job.error
    listed = owner.client.get(f"{API}/keywords/", {"page_size": 100}).json()["results"]
    clusters: dict[int, set[str]] = {}
    for row in listed:
        clusters.setdefault(row["cluster_id"], set()).add(topic_of[row["keyword"]])
    by_keyword = {row["keyword"]: row["cluster_id"] for row in listed}
    assert (by_keyword["cheap flights"] == by_keyword["budget airfare"]) is grouped_by_meaning
    if grouped_by_meaning:
        assert job.result["clusters_created"] == 3
        assert sorted(map(sorted, clusters.values())) == [[topic] for topic in sorted(SYNONYMS)]
    else:
        assert job.result["clusters_created"] > 3
