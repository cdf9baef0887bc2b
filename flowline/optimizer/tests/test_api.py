"""optimizer/ and linker/ over HTTP: analyses kept per content, link suggestions refreshed,
dismissed ones not proposed again, other accounts' content is 404."""

import pytest

from flowline.optimizer.models import ContentScore, LinkSuggestion
from flowline.optimizer.tests.factories import ContentScoreFactory, LinkSuggestionFactory
from flowline.writer.tests.factories import ContentFactory

pytestmark = pytest.mark.django_db

ARTICLE = (
    "<p>Pour over coffee needs the right grind size and a gooseneck kettle.</p>"
    "<h2>Grind</h2><p>The grind size matters. A gooseneck kettle gives control.</p>"
)


def _site_articles(owner):
    source = ContentFactory(
        account=owner.account,
        title="Pour over coffee guide",
        keywords="pour over coffee",
        html_content=ARTICLE,
    )
    same = {"account": owner.account, "sector": source.sector, "site": source.site}
    grind = ContentFactory(
        **same,
        title="Grind size explained",
        keywords="grind size, burr grinder",
        html_content="<p>Grind size for coffee: fine, medium or coarse grind size.</p>",
        external_url="https://blog.example.com/grind-size",
    )
    kettle = ContentFactory(
        **same,
        title="Best kettles",
        keywords="gooseneck kettle",
        html_content="<p>A gooseneck kettle pours slowly for pour over coffee.</p>",
    )
    return source, grind, kettle


def test_analyze_a_content_keeps_the_score_in_its_history(owner):
    content = ContentFactory(account=owner.account, keywords="brewing guide")
    response = owner.client.post(
        "/api/v1/optimizer/analyze/", {"content_id": content.id}, format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert 0 <= data["score"] <= 100
    assert {c["id"] for c in data["checks"]} >= {"keyword_in_title", "readability", "length"}
    assert all(c["message"] for c in data["checks"])
    listed = owner.client.get("/api/v1/optimizer/", {"content": content.id}).json()
    assert listed["count"] == 1 and listed["results"][0]["score"] == data["score"]


def test_analyze_html_from_the_body_stores_nothing(owner):
    response = owner.client.post(
        "/api/v1/optimizer/analyze/",
        {"html": ARTICLE, "title": "Pour over coffee", "primary_keyword": "pour over coffee"},
        format="json",
    )
    assert response.status_code == 200
    checks = {c["id"]: c for c in response.json()["data"]["checks"]}
    assert checks["keyword_in_first_paragraph"]["passed"] is True
    assert ContentScore.unscoped.count() == 0


def test_analyze_needs_content_or_html_and_refuses_both(owner):
    content = ContentFactory(account=owner.account)
    empty = owner.client.post("/api/v1/optimizer/analyze/", {}, format="json")
    both = owner.client.post(
        "/api/v1/optimizer/analyze/", {"content_id": content.id, "html": "<p/>"}, format="json"
    )
    assert empty.status_code == both.status_code == 400


def test_another_accounts_content_is_404_for_analyze_and_linker(owner, other_owner):
    theirs = ContentFactory(account=other_owner.account)
    for path, body in [
        ("/api/v1/optimizer/analyze/", {"content_id": theirs.id}),
        ("/api/v1/optimizer/batch_analyze/", {"ids": [theirs.id]}),
        ("/api/v1/linker/process/", {"content_id": theirs.id}),
        ("/api/v1/linker/batch_process/", {"ids": [theirs.id]}),
    ]:
        response = owner.client.post(path, body, format="json")
        assert response.status_code == 404, path
    assert ContentScore.unscoped.count() == LinkSuggestion.unscoped.count() == 0


def test_batch_analyze_scores_each_content(owner):
    first, second = ContentFactory.create_batch(2, account=owner.account)
    response = owner.client.post(
        "/api/v1/optimizer/batch_analyze/", {"ids": [first.id, second.id]}, format="json"
    )
    assert response.status_code == 200
    assert [row["content_id"] for row in response.json()["data"]] == [first.id, second.id]
    assert ContentScore.unscoped.count() == 2


def test_linker_process_suggests_related_articles_and_replaces_open_ones(owner):
    source, grind, kettle = _site_articles(owner)
    response = owner.client.post(
        "/api/v1/linker/process/", {"content_id": source.id}, format="json"
    )
    assert response.status_code == 200, response.content
    rows = response.json()["data"]
    assert {r["target"] for r in rows} == {grind.id, kettle.id}
    by_target = {r["target"]: r for r in rows}
    assert by_target[grind.id]["anchor_text"] == "grind size"
    assert by_target[grind.id]["target_url"] == "https://blog.example.com/grind-size"
    # processing again does not duplicate
    owner.client.post("/api/v1/linker/process/", {"content_id": source.id}, format="json")
    assert LinkSuggestion.unscoped.filter(source=source).count() == 2


def test_a_dismissed_link_is_not_proposed_again(owner):
    source, grind, kettle = _site_articles(owner)
    owner.client.post("/api/v1/linker/process/", {"content_id": source.id}, format="json")
    row = LinkSuggestion.unscoped.get(source=source, target=grind)
    dismissed = owner.client.post(f"/api/v1/linker/{row.id}/dismiss/")
    assert dismissed.status_code == 200 and dismissed.json()["data"]["status"] == "dismissed"
    again = owner.client.post(
        "/api/v1/linker/process/", {"content_id": source.id}, format="json"
    ).json()["data"]
    assert [r["target"] for r in again] == [kettle.id]
    listed = owner.client.get("/api/v1/linker/", {"source": source.id, "status": "suggested"})
    assert listed.json()["count"] == 1


def test_linker_batch_process_counts_suggestions_per_content(owner):
    source, _grind, kettle = _site_articles(owner)
    response = owner.client.post(
        "/api/v1/linker/batch_process/", {"ids": [source.id, kettle.id]}, format="json"
    )
    counts = {r["content_id"]: r["suggestions"] for r in response.json()["data"]}
    assert counts[source.id] == 2


def test_links_stay_inside_one_site(owner):
    source, _, _ = _site_articles(owner)
    ContentFactory(account=owner.account, title="Grind size", keywords="grind size")
    rows = owner.client.post(
        "/api/v1/linker/process/", {"content_id": source.id}, format="json"
    ).json()["data"]
    assert all(r["site"] == source.site_id for r in rows)
    assert len(rows) == 2


def test_a_viewer_can_read_but_not_analyze(owner, member_factory):
    viewer = member_factory(owner, "viewer")
    score = ContentScoreFactory(account=owner.account)
    LinkSuggestionFactory(account=owner.account)
    assert viewer.client.get(f"/api/v1/optimizer/{score.id}/").status_code == 200
    assert viewer.client.get("/api/v1/linker/").json()["count"] == 1
    refused = viewer.client.post(
        "/api/v1/optimizer/analyze/", {"content_id": score.content_id}, format="json"
    )
    assert refused.status_code == 403


TRAVEL_TIPS = (
    "<p>Book your plane tickets early and compare carriers to keep the fare low. "
    "Fly midweek, travel light, and buy bread at a local bakery near the hotel if you like "
    "a cheap breakfast. Later, plan your packing with our carry-on checklist and "
    "a sourdough starter guide for home.</p>"
)


@pytest.mark.parametrize(
    ("engine", "first"), [("wordllama", "carry-on"), ("tfidf", "sourdough starter")]
)
def test_the_packaged_model_ranks_links_by_meaning_not_shared_words(owner, settings, engine, first):
    # given: a travel article that can link to a travel article written in other words
    # (cabin baggage, airline) and to a baking article that shares its everyday words
    settings.FLOWLINE_EMBEDDINGS = engine
    source = ContentFactory(
        account=owner.account,
        title="How to find budget airfare",
        keywords="budget airfare",
        html_content=TRAVEL_TIPS,
    )
    same = {"account": owner.account, "sector": source.sector, "site": source.site}
    ContentFactory(
        **same,
        title="Packing a carry-on for a week",
        keywords="carry-on",
        html_content="<p>Cabin baggage rules vary by airline. Roll clothes, wear your heaviest "
        "shoes on board and keep liquids in a clear bag for airport security before the "
        "flight.</p>",
    )
    ContentFactory(
        **same,
        title="Make a sourdough starter",
        keywords="sourdough starter",
        html_content="<p>Mix flour and water and feed it daily. Bake bread when it bubbles; a "
        "local bakery will sell you a little to start, cheap, and you can keep it at "
        "home.</p>",
    )

    # when
    response = owner.client.post(
        "/api/v1/linker/process/", {"content_id": source.id}, format="json"
    )

    # then: the packaged model puts the travel article first; TF-IDF the baking one
    assert response.status_code == 200, response.content
    rows = response.json()["data"]
    assert len(rows) == 2 and rows[0]["anchor_text"] == first
