"""The writer in the console: tasks, the credit estimate before writing, the job followed
live, an article edited and previewed, and published to WordPress with its errors shown;
over HTTP and in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from flowline.billing import public as credits
from flowline.core.testing.pages import CSRF, page_client
from flowline.integration.testing.fixtures import connect_wordpress, fake_wordpress  # noqa: F401
from flowline.jobs.models import Job
from flowline.writer.models import Content, Image
from flowline.writer.tests.factories import ContentFactory, TaskFactory


@pytest.mark.django_db
def test_the_write_page_shows_the_cost_and_the_balance_before_anything_starts(owner):
    chosen = TaskFactory.create_batch(2, account=owner.account)
    page = page_client(owner).get(
        "/writer/tasks/write/", {"ids": [str(task.id) for task in chosen]}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert re.search(r"<strong>\d+ credits</strong>", text) and "Available" in text
    assert not Job.unscoped.filter(kind="writer.generate_content").exists()


@pytest.mark.django_db
def test_writing_without_credits_says_not_enough_credits(owner):
    task = TaskFactory(account=owner.account)
    credits.credits_charge(account_id=owner.account_id, operation_type="x", amount=95)
    page = page_client(owner).post(f"/writer/tasks/write/?ids={task.id}", {"csrf_token": CSRF})
    assert page.status_code == 402
    assert b"Not enough credits." in page.content
    assert not Job.unscoped.filter(kind="writer.generate_content").exists()


@pytest.mark.django_db
def test_another_accounts_task_is_not_offered_for_writing(owner, other_owner):
    theirs = TaskFactory(account=other_owner.account, title="Their secret task")
    page = page_client(owner).get(f"/writer/tasks/write/?ids={theirs.id}")
    assert b"Their secret task" not in page.content


@pytest.mark.django_db
def test_another_accounts_article_is_not_found(owner, other_owner):
    theirs = ContentFactory(account=other_owner.account)
    assert page_client(owner).get(f"/writer/content/{theirs.id}/").status_code == 404


@pytest.mark.django_db
def test_saving_an_article_sanitises_its_body_through_the_api(owner):
    article = ContentFactory(account=owner.account)
    response = page_client(owner).post(
        f"/writer/content/{article.id}/",
        {
            "csrf_token": CSRF,
            "title": "Fresh title",
            "meta_title": "",
            "meta_description": "",
            "html_content": "<p>Hi</p><script>alert(1)</script>",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Fresh title" and "<script>" not in article.html_content


@pytest.mark.django_db
def test_image_prompts_then_pictures_are_started_from_the_article_page(owner, run_job):
    article = ContentFactory(account=owner.account)
    client = page_client(owner)
    prompts = client.post(
        f"/writer/content/{article.id}/", {"csrf_token": CSRF, "action": "image_prompts"}
    )
    assert prompts.status_code == 302 and "?job=" in prompts["Location"]
    run_job(prompts["Location"].split("job=")[1])
    assert Image.unscoped.filter(content=article).exists()

    pictures = client.post(
        f"/writer/content/{article.id}/", {"csrf_token": CSRF, "action": "images"}
    )
    assert pictures.status_code == 302
    job = run_job(pictures["Location"].split("job=")[1])
    assert job.status == Job.Status.COMPLETED
    assert not Image.unscoped.filter(content=article).exclude(status="completed").exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editor_writes_an_article_edits_it_and_publishes_it_to_wordpress(
    console,
    owner,
    fake_wordpress,  # noqa: F811
):
    # given: two tasks queued from ideas
    first = TaskFactory(account=owner.account, title="How to choose a yoga mat")
    TaskFactory(account=owner.account, sector=first.sector, site=first.site, title="Yoga at home")
    console.sign_in(owner)
    page = console.page
    console.go("/writer/tasks/")
    expect(page.locator("#list-table tbody tr")).to_have_count(2)

    # when: they choose to write both, the cost is shown before anything starts
    page.get_by_label("Select all rows").check()
    page.get_by_role("button", name="Write articles").click()
    expect(page.locator("#estimate")).to_contain_text("credits")
    console.shot("writer-estimate")
    page.get_by_role("button", name="Write 2 articles").click()

    # then: the job is followed live to its end, and the tasks link to their articles
    expect(page.locator("#followed-job [data-job]")).to_have_attribute(
        "data-status", "completed", timeout=60_000
    )
    expect(page.locator("#list-table").get_by_role("link", name="Open")).to_have_count(2)
    console.shot("writer-tasks")
    page.get_by_role("link", name="See the articles").click()
    expect(page.locator("#list-table tbody tr")).to_have_count(2)
    console.shot("writer-content")

    # when: they edit an article's title
    page.get_by_role("link", name=re.compile("yoga mat", re.I)).first.click()
    page.get_by_label("Title", exact=True).fill("Choosing your first yoga mat")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Article saved.")).to_be_visible()
    preview = page.frame_locator("iframe[title='Article preview']")
    expect(preview.get_by_role("heading", name="Choosing your first yoga mat")).to_be_visible()

    # when: they publish with no WordPress connected, the API's refusal is shown
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#action-error")).to_be_visible()
    console.shot("writer-publish-refused")

    # when: the site is connected to WordPress and they publish again
    connect_wordpress(first.site, fake_wordpress)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#followed-job [data-job]")).to_have_attribute(
        "data-status", "completed", timeout=30_000
    )
    page.reload()
    expect(page.locator("#publish-records")).to_contain_text("Published")
    console.shot("writer-article")
    article = Content.unscoped.get(account=owner.account, title="Choosing your first yoga mat")
    assert fake_wordpress.posts and article.external_id
