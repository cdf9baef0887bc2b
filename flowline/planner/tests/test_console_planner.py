"""The planner in the console: keywords, import with per-line errors, export, clustering
followed live, clusters, ideas queued to the writer; over HTTP and in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from flowline.core.roles import Role
from flowline.core.testing.pages import CSRF, page_client
from flowline.planner.models import ContentIdea, Keyword
from flowline.planner.tests.factories import ContentIdeaFactory, KeywordFactory


@pytest.mark.django_db
def test_keywords_page_lists_only_this_accounts_keywords(owner, other_owner, sector):
    KeywordFactory(account=owner.account, sector=sector, keyword="yoga mat")
    KeywordFactory(account=other_owner.account, keyword="secret keyword")
    page = page_client(owner).get("/planner/keywords/")
    assert page.status_code == 200
    assert b"yoga mat" in page.content and b"secret keyword" not in page.content


@pytest.mark.django_db
def test_keywords_page_searches_and_filters_through_the_api(owner, sector):
    KeywordFactory(account=owner.account, sector=sector, keyword="yoga mat", status="active")
    KeywordFactory(account=owner.account, sector=sector, keyword="yoga block", status="archived")
    page = page_client(owner).get("/planner/keywords/?search=yoga&status=archived")
    assert b"yoga block" in page.content and b"yoga mat" not in page.content


@pytest.mark.django_db
def test_import_lists_bad_rows_by_line_and_imports_the_good_ones(owner, sector):
    # given: a CSV with one good row, one duplicate of it and a row without a keyword
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "k.csv", b"keyword,volume\nyoga mat,100\nyoga mat,100\n,5\n", content_type="text/csv"
    )
    # when
    page = page_client(owner).post(
        "/planner/keywords/import/",
        {"csrf_token": CSRF, "sector_id": sector.id, "file": upload},
    )
    # then
    assert page.status_code == 200
    assert Keyword.unscoped.filter(account=owner.account, keyword="yoga mat").count() == 1
    text = page.content.decode()
    assert "Rows not imported" in text
    assert re.search(r"<td>3</td>", text) and re.search(r"<td>4</td>", text)


@pytest.mark.django_db
def test_import_into_another_accounts_sector_is_refused_on_the_field(owner, foreign_sector):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("k.csv", b"keyword\nsneaky\n", content_type="text/csv")
    page = page_client(owner).post(
        "/planner/keywords/import/",
        {"csrf_token": CSRF, "sector_id": foreign_sector.id, "file": upload},
    )
    assert page.status_code == 400
    assert not Keyword.unscoped.filter(keyword="sneaky").exists()


@pytest.mark.django_db
def test_viewer_sees_keywords_but_cannot_queue_ideas(owner, member_factory, sector):
    viewer = member_factory(owner, Role.VIEWER)
    idea = ContentIdeaFactory(account=owner.account, sector=sector)
    client = page_client(viewer)
    assert client.get("/planner/ideas/").status_code == 200
    response = client.post(
        "/planner/ideas/",
        {"csrf_token": CSRF, "action": "bulk_queue_to_writer", "ids": [idea.id]},
    )
    assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.status == ContentIdea.Status.NEW


@pytest.mark.django_db
def test_another_accounts_job_is_not_shown_on_the_keywords_page(owner, other_owner):
    from django.test import TestCase

    from flowline.jobs import public as services

    with TestCase.captureOnCommitCallbacks(execute=False):
        theirs = services.job_start(
            kind="test.steps",
            account_id=other_owner.account_id,
            user_id=other_owner.user.id,
            payload={"steps": 1},
        )
    page = page_client(owner).get(f"/planner/keywords/?job={theirs.id}")
    assert page.status_code == 200 and b"followed-job" not in page.content


WORDS = [
    "yoga mat",
    "best yoga mats",
    "non slip yoga mat",
    "coffee grinder",
    "burr coffee grinder",
    "manual coffee grinder",
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editor_imports_clusters_and_queues_ideas_to_the_writer(console, owner, sector, tmp_path):
    console.sign_in(owner)
    page = console.page
    console.go("/planner/keywords/")
    page.get_by_role("heading", name="Keywords", exact=True).wait_for()
    console.shot("planner-keywords-empty")

    # when: they import a CSV with two bad lines
    csv = tmp_path / "keywords.csv"
    csv.write_text(
        "keyword,volume,difficulty\n"
        + "".join(f"{w},{100 + i},30\n" for i, w in enumerate(WORDS))
        + "yoga mat,5,5\n,10,10\n"
    )
    page.get_by_role("link", name="Import CSV").first.click()
    page.get_by_label("Sector").select_option(str(sector.id))
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Import").click()

    # then: the bad lines are listed by number and the good ones are in
    result = page.locator("#import-result")
    expect(result.get_by_text("Imported 6 keywords.")).to_be_visible()
    expect(result.locator("tbody tr")).to_have_count(2)
    expect(result.locator("tbody tr").first).to_contain_text("8")
    console.shot("planner-import")

    # when: they sort and search the table
    page.get_by_role("link", name="See the keywords").click()
    expect(page.locator("#list-table tbody tr")).to_have_count(6)
    page.get_by_role("link", name="Volume").click()
    expect(page.locator("#list-table tbody tr").first).to_contain_text("yoga mat")
    expect(page).to_have_url(re.compile(r"ordering=volume"))
    page.get_by_role("searchbox", name="Search keywords").fill("grinder")
    expect(page.locator("#list-table tbody tr")).to_have_count(3)
    export = page.get_by_role("link", name="Export CSV")
    expect(export).to_have_attribute("href", re.compile(r"search=grinder"))
    page.get_by_role("searchbox", name="Search keywords").fill("")
    expect(page.locator("#list-table tbody tr")).to_have_count(6)

    # when: they select all and cluster them
    page.get_by_label("Select all rows").check()
    page.get_by_role("button", name="Cluster").click()

    # then: the progress bar follows the job to its end and the table shows the clusters
    followed = page.locator("#followed-job [data-job]")
    expect(followed).to_have_attribute("data-status", "completed", timeout=30_000)
    expect(page.locator("#followed-job [role=progressbar]")).to_have_attribute(
        "aria-valuenow", "100"
    )
    expect(page.locator("#list-table tbody").get_by_role("link").first).to_be_visible()
    console.shot("planner-clustered")
    page.get_by_role("link", name="See clusters").click()
    expect(page.locator("#list-table tbody tr")).to_have_count(2)
    console.shot("planner-clusters")

    # when: ideas are generated for the clusters and queued to the writer
    page.get_by_label("Select all rows").check()
    page.get_by_role("button", name="Generate ideas").click()
    expect(page.locator("#followed-job [data-job]")).to_have_attribute(
        "data-status", "completed", timeout=30_000
    )
    page.get_by_role("link", name="See ideas").click()
    expect(page.locator("#list-table tbody tr").first).to_be_visible()
    count = page.locator("#list-table tbody tr").count()
    page.get_by_label("Select all rows").check()
    page.get_by_role("button", name="Queue to writer").click()
    expect(page.get_by_text(f"Queued {count} tasks.")).to_be_visible()
    console.shot("planner-ideas")
    assert ContentIdea.unscoped.filter(account=owner.account, status="queued").count() == count


@pytest.mark.django_db
def test_clustering_without_credits_says_so_and_links_to_buying_them(owner, sector):
    from flowline.billing import public as credits

    keyword = KeywordFactory(account=owner.account, sector=sector)
    credits.credits_charge(account_id=owner.account_id, operation_type="x", amount=100)
    page = page_client(owner).post(
        "/planner/keywords/", {"csrf_token": CSRF, "action": "auto_cluster", "ids": [keyword.id]}
    )
    assert page.status_code == 200
    assert b"Buy credits</a>" in page.content and b"/billing/buy/" in page.content
