"""`writer/tasks/`: CRUD, 003's filters, search and ordering, bulk actions, tenancy."""

import pytest

from flowline.core.roles import Role
from flowline.sites.tests.factories import SectorFactory
from flowline.writer.models import Task
from flowline.writer.tests.factories import TaskFactory, cluster_for, idea_for

pytestmark = pytest.mark.django_db

TASKS = "/api/v1/writer/tasks/"


@pytest.fixture
def sector(owner):
    return SectorFactory(account=owner.account)


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_an_editor_creates_reads_updates_and_deletes_a_task(owner, member_factory, sector):
    # given
    editor = member_factory(owner, Role.EDITOR)
    cluster = cluster_for(sector)
    idea = idea_for(sector, cluster=cluster)
    body = {
        "site": sector.site_id,
        "sector": sector.id,
        "cluster": cluster.id,
        "idea": idea.id,
        "title": "Pour-over at home",
        "keywords": "pour over, v60",
        "content_type": "guide",
        "content_structure": "how_to",
        "word_count": 1200,
    }

    # when
    created = editor.client.post(TASKS, body, format="json")

    # then
    assert created.status_code == 201, created.content
    task = created.json()["data"]
    assert task["status"] == "draft" and task["content_id"] is None
    assert (task["cluster"], task["idea"], task["word_count"]) == (cluster.id, idea.id, 1200)
    url = f"{TASKS}{task['id']}/"
    assert editor.client.get(url).json()["data"]["title"] == "Pour-over at home"
    patched = editor.client.patch(url, {"status": "review", "title": "V60 guide"}, format="json")
    assert patched.json()["data"]["status"] == "review"
    assert editor.client.delete(url).status_code == 200
    assert not Task.unscoped.filter(id=task["id"]).exists()


def test_a_viewer_reads_but_cannot_write(owner, member_factory, sector):
    viewer = member_factory(owner, Role.VIEWER)
    task = TaskFactory(account=owner.account, sector=sector, site=sector.site)

    assert viewer.client.get(f"{TASKS}{task.id}/").status_code == 200
    response = viewer.client.patch(f"{TASKS}{task.id}/", {"title": "x"}, format="json")
    assert response.status_code == 403
    assert viewer.client.post(f"{TASKS}bulk_delete/", {"ids": [task.id]}).status_code == 403


def test_in_progress_is_the_systems_to_set(owner, sector):
    task = TaskFactory(account=owner.account, sector=sector, site=sector.site)

    response = owner.client.patch(f"{TASKS}{task.id}/", {"status": "in_progress"}, format="json")

    assert response.status_code == 400 and "status" in response.json()["errors"]


def test_foreign_keys_to_another_accounts_rows_are_400(owner, other_owner, sector):
    # given: the other account's site, sector, cluster and idea
    theirs = SectorFactory(account=other_owner.account)
    their_cluster, their_idea = cluster_for(theirs), idea_for(theirs)
    base = {"site": sector.site_id, "sector": sector.id, "title": "Mine"}

    # when / then
    for field, value in [
        ("site", theirs.site_id),
        ("sector", theirs.id),
        ("cluster", their_cluster.id),
        ("idea", their_idea.id),
    ]:
        response = owner.client.post(TASKS, {**base, field: value}, format="json")
        assert response.status_code == 400, (field, response.content)
        assert field in response.json()["errors"]
    assert not Task.unscoped.exists()


def test_a_sector_or_idea_of_another_site_is_400(owner, sector):
    elsewhere = SectorFactory(account=owner.account)

    wrong_sector = owner.client.post(
        TASKS, {"site": sector.site_id, "sector": elsewhere.id, "title": "x"}, format="json"
    )
    wrong_idea = owner.client.post(
        TASKS,
        {"site": sector.site_id, "sector": sector.id, "title": "x", "idea": idea_for(elsewhere).id},
        format="json",
    )

    assert wrong_sector.status_code == 400 and "sector" in wrong_sector.json()["errors"]
    assert wrong_idea.status_code == 400 and "idea" in wrong_idea.json()["errors"]


def test_an_idea_already_queued_cannot_get_a_second_task(owner, sector):
    idea = idea_for(sector)
    TaskFactory(account=owner.account, sector=sector, site=sector.site, idea=idea)

    response = owner.client.post(
        TASKS, {"site": sector.site_id, "sector": sector.id, "title": "x", "idea": idea.id}
    )

    assert response.status_code == 400 and response.json()["code"] == "duplicate"


def test_filters_search_and_ordering_as_003_lists_them(owner, sector):
    # given
    other_sector = SectorFactory(account=owner.account)
    cluster = cluster_for(sector)
    site = sector.site
    a = TaskFactory(
        account=owner.account,
        sector=sector,
        site=site,
        title="Alpha grinders",
        word_count=900,
        cluster=cluster,
        status="review",
        content_type="guide",
        content_structure="how_to",
    )
    b = TaskFactory(
        account=owner.account,
        sector=sector,
        site=site,
        title="Beta kettles",
        word_count=2500,
        keywords="gooseneck kettle",
    )
    c = TaskFactory(
        account=owner.account,
        sector=other_sector,
        site=other_sector.site,
        title="Gamma scales",
        word_count=1500,
    )

    # then
    get = owner.client.get
    assert _ids(get(TASKS)) == [c.id, b.id, a.id]  # newest first
    assert _ids(get(TASKS, {"status": "review"})) == [a.id]
    assert _ids(get(TASKS, {"cluster_id": cluster.id})) == [a.id]
    assert _ids(get(TASKS, {"content_type": "guide"})) == [a.id]
    assert _ids(get(TASKS, {"content_structure": "how_to"})) == [a.id]
    assert _ids(get(TASKS, {"site_id": other_sector.site_id})) == [c.id]
    assert _ids(get(TASKS, {"sector_id": sector.id, "ordering": "title"})) == [a.id, b.id]
    assert _ids(get(TASKS, {"search": "gooseneck"})) == [b.id]  # keywords
    assert _ids(get(TASKS, {"search": "gamma"})) == [c.id]  # title
    assert _ids(get(TASKS, {"ordering": "word_count"})) == [a.id, c.id, b.id]
    assert _ids(get(TASKS, {"ordering": "-title"})) == [c.id, b.id, a.id]
    assert get(TASKS, {"status": "nonsense"}).status_code == 400


def test_bulk_update_sets_the_status_and_a_foreign_id_changes_nothing(owner, other_owner, sector):
    # given
    mine = [TaskFactory(account=owner.account, sector=sector, site=sector.site) for _ in range(2)]
    theirs = TaskFactory(account=other_owner.account)
    url = f"{TASKS}bulk_update/"

    # when
    refused = owner.client.post(
        url, {"ids": [mine[0].id, theirs.id], "status": "archived"}, format="json"
    )
    done = owner.client.post(
        url, {"ids": [t.id for t in mine], "status": "archived"}, format="json"
    )

    # then
    assert refused.status_code == 404 and refused.json()["errors"]["ids"] == [theirs.id]
    assert done.json()["data"] == {"updated_count": 2}
    assert set(Task.unscoped.filter(status="archived").values_list("id", flat=True)) == {
        t.id for t in mine
    }
    theirs.refresh_from_db()
    assert theirs.status == "draft"
    bad = owner.client.post(url, {"ids": [mine[0].id], "status": "in_progress"}, format="json")
    assert bad.status_code == 400


def test_bulk_delete_is_all_or_nothing(owner, other_owner, sector):
    mine = TaskFactory(account=owner.account, sector=sector, site=sector.site)
    theirs = TaskFactory(account=other_owner.account)
    url = f"{TASKS}bulk_delete/"

    refused = owner.client.post(url, {"ids": [mine.id, theirs.id]}, format="json")
    done = owner.client.post(url, {"ids": [mine.id]}, format="json")

    assert refused.status_code == 404
    assert done.json()["data"] == {"deleted_count": 1}
    assert list(Task.unscoped.values_list("id", flat=True)) == [theirs.id]


def test_a_site_restricted_member_sees_only_their_sites_tasks(owner, member_factory, sector):
    from flowline.sites.models import SiteUserAccess

    member = member_factory(owner, Role.EDITOR, all_sites=False)
    SiteUserAccess.unscoped.create(account=owner.account, user=member.user, site=sector.site)
    visible = TaskFactory(account=owner.account, sector=sector, site=sector.site)
    hidden = TaskFactory(account=owner.account)

    assert _ids(member.client.get(TASKS)) == [visible.id]
    assert member.client.get(f"{TASKS}{hidden.id}/").status_code == 404


def test_task_list_query_count_does_not_grow_with_rows(owner, sector, django_assert_num_queries):
    for _ in range(12):
        TaskFactory(account=owner.account, sector=sector, site=sector.site)

    # membership (auth), page (a page that ends the list needs no count query)
    with django_assert_num_queries(2):
        response = owner.client.get(TASKS, {"page_size": 100})

    assert len(response.json()["results"]) == 12
