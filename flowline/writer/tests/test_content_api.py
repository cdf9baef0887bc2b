"""`writer/content/` and `writer/taxonomies/`: sanitised HTML on every write, filters,
the site rules of tasks and taxonomies, tenancy."""

import pytest

from flowline.sites.tests.factories import SectorFactory
from flowline.writer.models import Content, Taxonomy
from flowline.writer.tests.factories import ContentFactory, TaskFactory, TaxonomyFactory

pytestmark = pytest.mark.django_db

CONTENT = "/api/v1/writer/content/"
TAXONOMIES = "/api/v1/writer/taxonomies/"


@pytest.fixture
def sector(owner):
    return SectorFactory(account=owner.account)


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_typed_html_is_sanitised_and_measured(owner, sector):
    # when
    response = owner.client.post(
        CONTENT,
        {
            "site": sector.site_id,
            "sector": sector.id,
            "title": "Cold brew",
            "html_content": '<h2 style="x">Why</h2><p onmouseover="x()">Smooth and '
            "<em>sweet</em>.</p><script>alert(1)</script><h3>How</h3><ul><li>Steep",
            "meta_description": "Cold brew basics",
        },
        format="json",
    )

    # then
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["html_content"] == (
        "<h2>Why</h2><p>Smooth and <em>sweet</em>.</p><h3>How</h3><ul><li>Steep</li></ul>"
    )
    assert data["headings"] == [{"level": 2, "text": "Why"}, {"level": 3, "text": "How"}]
    assert data["word_count"] == 6 and data["status"] == "draft"

    # and: an update is sanitised the same way
    url = f"{CONTENT}{data['id']}/"
    patched = owner.client.patch(
        url, {"html_content": '<p><a href="javascript:x">go</a></p>'}, format="json"
    )
    # nh3 keeps `rel` on a link whose unsafe href it removed: harmless
    assert patched.json()["data"]["html_content"] == '<p><a rel="noopener nofollow">go</a></p>'
    assert patched.json()["data"]["word_count"] == 1


def test_published_and_publication_fields_are_the_systems(owner, sector):
    content = ContentFactory(account=owner.account, sector=sector, site=sector.site)
    url = f"{CONTENT}{content.id}/"

    refused = owner.client.patch(url, {"status": "published"}, format="json")
    ignored = owner.client.patch(
        url, {"external_url": "https://x.test/p", "word_count": 999}, format="json"
    )

    assert refused.status_code == 400
    assert ignored.status_code == 200
    content.refresh_from_db()
    assert content.external_url == "" and content.word_count == 3


def test_task_and_taxonomies_must_be_of_the_account_and_the_site(owner, other_owner, sector):
    base = {"site": sector.site_id, "sector": sector.id, "title": "x"}
    other_site_tag = TaxonomyFactory(account=owner.account)
    their_task = TaskFactory(account=other_owner.account)
    their_tag = TaxonomyFactory(account=other_owner.account)

    for extra, field in [
        ({"task": their_task.id}, "task"),
        ({"taxonomies": [their_tag.id]}, "taxonomies"),
        ({"taxonomies": [other_site_tag.id]}, "taxonomies"),
    ]:
        response = owner.client.post(CONTENT, {**base, **extra}, format="json")
        assert response.status_code == 400, extra
        assert field in response.json()["errors"]
    assert not Content.unscoped.exists()


def test_content_filters_and_search(owner, sector):
    tag = TaxonomyFactory(account=owner.account, site=sector.site, taxonomy_type="tag")
    task = TaskFactory(account=owner.account, sector=sector, site=sector.site)
    a = ContentFactory(account=owner.account, sector=sector, site=sector.site, title="Aero press")
    b = ContentFactory(
        account=owner.account,
        sector=sector,
        site=sector.site,
        title="Moka pot",
        status="review",
        content_type="guide",
        keywords="stovetop",
        task=task,
    )
    b.taxonomies.add(tag)
    other = SectorFactory(account=owner.account)
    c = ContentFactory(account=owner.account, sector=other, site=other.site, title="Siphon")

    get = owner.client.get
    assert _ids(get(CONTENT)) == [c.id, b.id, a.id]
    assert _ids(get(CONTENT, {"status": "review"})) == [b.id]
    assert _ids(get(CONTENT, {"content_type": "guide"})) == [b.id]
    assert _ids(get(CONTENT, {"site_id": other.site_id})) == [c.id]
    assert _ids(get(CONTENT, {"sector_id": sector.id, "ordering": "title"})) == [a.id, b.id]
    assert _ids(get(CONTENT, {"task_id": task.id})) == [b.id]
    assert _ids(get(CONTENT, {"taxonomy_id": tag.id})) == [b.id]
    assert _ids(get(CONTENT, {"search": "stovetop"})) == [b.id]
    assert get(f"{CONTENT}{b.id}/").json()["data"]["taxonomies"] == [tag.id]


def test_content_list_query_count_does_not_grow_with_rows(owner, sector, django_assert_num_queries):
    tag = TaxonomyFactory(account=owner.account, site=sector.site)
    for _ in range(8):
        ContentFactory(account=owner.account, sector=sector, site=sector.site).taxonomies.add(tag)

    # membership (auth), page, taxonomies (a page that ends the list needs no count query)
    with django_assert_num_queries(3):
        response = owner.client.get(CONTENT, {"page_size": 100})

    assert [row["taxonomies"] for row in response.json()["results"]] == [[tag.id]] * 8


def test_taxonomies_crud_with_slugs_per_site_and_type(owner, sector):
    # when
    created = owner.client.post(
        TAXONOMIES,
        {"site": sector.site_id, "taxonomy_type": "category", "name": "Brew Guides"},
        format="json",
    )
    same_slug = owner.client.post(
        TAXONOMIES,
        {"site": sector.site_id, "taxonomy_type": "category", "name": "Brew guides!"},
        format="json",
    )
    as_tag = owner.client.post(
        TAXONOMIES,
        {"site": sector.site_id, "taxonomy_type": "tag", "name": "Brew guides"},
        format="json",
    )

    # then
    assert created.status_code == 201, created.content
    assert created.json()["data"]["slug"] == "brew-guides"
    assert same_slug.status_code == 400 and same_slug.json()["code"] == "duplicate"
    assert as_tag.status_code == 201
    parent_id = created.json()["data"]["id"]
    child = owner.client.post(
        TAXONOMIES,
        {
            "site": sector.site_id,
            "taxonomy_type": "category",
            "name": "Espresso",
            "parent": parent_id,
        },
        format="json",
    )
    assert child.status_code == 201 and child.json()["data"]["parent"] == parent_id
    listed = owner.client.get(TAXONOMIES, {"taxonomy_type": "category", "ordering": "name"})
    assert [row["name"] for row in listed.json()["results"]] == ["Brew Guides", "Espresso"]
    assert owner.client.get(TAXONOMIES, {"search": "espresso"}).json()["count"] == 1


def test_a_parent_must_be_a_category_of_the_same_site(owner, sector):
    tag = TaxonomyFactory(account=owner.account, site=sector.site, taxonomy_type="tag")
    elsewhere = TaxonomyFactory(account=owner.account)

    for parent in (tag, elsewhere):
        response = owner.client.post(
            TAXONOMIES,
            {"site": sector.site_id, "taxonomy_type": "category", "name": "x", "parent": parent.id},
            format="json",
        )
        assert response.status_code == 400 and "parent" in response.json()["errors"]
    assert Taxonomy.unscoped.count() == 2


def test_another_accounts_taxonomy_is_invisible_and_a_site_of_theirs_is_400(owner, other_owner):
    theirs = TaxonomyFactory(account=other_owner.account)

    assert owner.client.get(f"{TAXONOMIES}{theirs.id}/").status_code == 404
    response = owner.client.post(
        TAXONOMIES, {"site": theirs.site_id, "taxonomy_type": "tag", "name": "x"}, format="json"
    )
    assert response.status_code == 400 and "site" in response.json()["errors"]


def test_taxonomy_list_query_count_does_not_grow_with_rows(
    owner, sector, django_assert_num_queries
):
    for _ in range(10):
        TaxonomyFactory(account=owner.account, site=sector.site)

    # membership (auth), count, page
    with django_assert_num_queries(3):
        response = owner.client.get(TAXONOMIES, {"page_size": 100})

    assert len(response.json()["results"]) == 10
