"""`writer/tasks/auto_generate_content/`: a paid job that writes articles through the AI
gateway (offline provider, FakeOpenAI), sanitises them, charges on success only."""

import json

import pytest

from flowline.ai.models import AuthorProfile, Prompt, Strategy
from flowline.ai.testing.fixtures import use_fake_openai
from flowline.billing import public as credits
from flowline.billing.models import CreditHold
from flowline.jobs.models import Job
from flowline.sites.tests.factories import SectorFactory
from flowline.writer.models import Content, Task
from flowline.writer.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/writer/tasks/auto_generate_content/"


@pytest.fixture
def task(owner):
    sector = SectorFactory(account=owner.account)
    return TaskFactory(
        account=owner.account,
        sector=sector,
        site=sector.site,
        title="Pour-over coffee at home",
        keywords="pour over, grind size, water temperature",
    )


def test_offline_generation_writes_a_structured_article_and_charges_once(
    owner, task, run_job, credits_of
):
    # given
    before, _ = credits_of(owner)

    # when
    started = owner.client.post(URL, {"ids": [task.id]}, format="json")

    # then: queued with the credits of one article held
    assert started.status_code == 201, started.content
    data = started.json()["data"]
    assert data["credits_held"] == 10 and data["status"] == "queued"
    assert credits_of(owner) == (before - 10, 10)

    # when: a worker runs it
    job = run_job(data["task_id"])

    # then: the article is stored, in review, with headings, meta fields and word count
    assert job.status == Job.Status.COMPLETED, job.error
    content = Content.unscoped.get(task=task)
    assert job.result["content_ids"] == [content.id]
    assert content.status == "review" and content.generation["offline"] is True
    headings = [h["text"] for h in content.headings]
    assert headings[:3] == ["What pour over means for you", "Grind size", "Water temperature"]
    assert "Frequently asked questions" in headings and headings[-1] == "Conclusion"
    assert abs(content.word_count - task.word_count) <= task.word_count * 0.1
    text = content.html_content.lower()
    assert all(keyword in text for keyword in ("pour over", "grind size", "water temperature"))
    assert content.meta_title and content.meta_description
    task.refresh_from_db()
    assert task.status == "review" and task.error == ""
    assert credits_of(owner) == (before - 10, 0)
    detail = owner.client.get(f"/api/v1/writer/tasks/{task.id}/").json()["data"]
    assert detail["content_id"] == content.id


@pytest.mark.parametrize("words", [300, 2500])
def test_offline_articles_reach_the_requested_length_and_follow_the_strategy(
    owner, task, run_job, words
):
    # given: a 2,500-word task whose strategy names its sections
    strategy = Strategy.unscoped.create(
        account=owner.account, name="How-to", sections=["Steps", "Tools needed", "Troubleshooting"]
    )
    Task.unscoped.filter(id=task.id).update(word_count=words, strategy=strategy)

    # when
    started = owner.client.post(URL, {"ids": [task.id]}, format="json")
    run_job(started.json()["data"]["task_id"])

    # then: about the length asked for, with the strategy's sections as its outline
    content = Content.unscoped.get(task=task)
    assert words * 0.9 <= content.word_count <= words * 1.15
    h2 = [h["text"] for h in content.headings if h["level"] == 2]
    assert h2[:3] == ["Steps", "Tools needed", "Troubleshooting"]


def test_the_accounts_prompt_author_profile_and_strategy_shape_the_request(
    owner, task, fake_openai, run_job
):
    # given: the account's own prompt, author profile and strategy, and a provider
    use_fake_openai(owner.account_id, fake_openai)
    Prompt.unscoped.create(
        account=owner.account,
        prompt_type="generate_content",
        prompt_value="HOUSE PROMPT. Voice: [[author_profile]] | Plan: [[strategy]] | "
        "Title: [[idea_title]] | Keywords: [[keywords]]",
    )
    AuthorProfile.unscoped.create(
        account=owner.account, name="Barista Bea", tone="warm", description="A coffee nerd"
    )
    Strategy.unscoped.create(account=owner.account, name="Answer first", sections=["FAQ"])
    fake_openai.responder = lambda body: json.dumps(
        {
            "title": "Pour-over, properly",
            "meta_title": "Pour-over guide",
            "meta_description": "How to brew pour-over.",
            "content": "<h2>Gear</h2><p>A kettle and a dripper.</p>",
            "tags": ["Pour Over"],
        }
    )

    # when
    job = run_job(owner.client.post(URL, {"ids": [task.id]}).json()["data"]["task_id"])

    # then
    assert job.status == Job.Status.COMPLETED, job.error
    sent = next(r for r in fake_openai.requests if r["path"].endswith("/chat/completions"))
    prompt = sent["json"]["messages"][-1]["content"]
    assert prompt.startswith("HOUSE PROMPT.")
    assert "Barista Bea" in prompt and "tone warm" in prompt and "Answer first" in prompt
    assert "Pour-over coffee at home" in prompt and "grind size" in prompt
    content = Content.unscoped.get(task=task)
    assert (content.title, content.meta_title, content.word_count) == (
        "Pour-over, properly",
        "Pour-over guide",
        6,  # "Gear A kettle and a dripper"
    )
    assert content.generation["offline"] is False and content.generation["model"] == "fake-chat"
    assert list(
        content.taxonomies.model.unscoped.filter(contents=content).values_list(
            "taxonomy_type", "slug"
        )
    ) == [("tag", "pour-over")]


def test_untrusted_model_html_is_sanitised_before_it_is_stored(owner, task, fake_openai, run_job):
    # given: a model answering with active content
    use_fake_openai(owner.account_id, fake_openai)
    fake_openai.responder = lambda body: json.dumps(
        {
            "title": "<b>Title</b>",
            "content": '<h1 onclick="x()">Intro</h1><script>steal()</script>'
            '<p>Safe <a href="javascript:alert(1)">link</a> and '
            '<a href="https://example.com">a real one</a></p>'
            '<iframe src="https://evil.test"></iframe><img src=x onerror=alert(1)>'
            "<style>p{}</style><div><h3>More</h3></div>",
        }
    )

    # when
    job = run_job(owner.client.post(URL, {"ids": [task.id]}).json()["data"]["task_id"])

    # then
    assert job.status == Job.Status.COMPLETED, job.error
    content = Content.unscoped.get(task=task)
    html = content.html_content
    for bad in ("script", "steal", "onclick", "javascript", "iframe", "<img", "onerror", "style"):
        assert bad not in html, bad
    # nh3 keeps `rel` on the link whose unsafe href it removed: harmless
    assert html.startswith('<h2>Intro</h2><p>Safe <a rel="noopener nofollow">link</a> and ')
    assert '<a href="https://example.com" rel="noopener nofollow">a real one</a>' in html
    assert content.headings == [{"level": 2, "text": "Intro"}, {"level": 3, "text": "More"}]
    assert content.title == "<b>Title</b>"  # plain text field, escaped when rendered


def test_a_failed_generation_releases_the_credits_and_marks_the_task(
    owner, task, fake_openai, run_job, credits_of
):
    # given: a provider that refuses the key
    use_fake_openai(owner.account_id, fake_openai, api_key="bad-key")
    before, _ = credits_of(owner)

    # when
    started = owner.client.post(URL, {"ids": [task.id]}).json()["data"]
    assert credits_of(owner) == (before - 10, 10)
    job = run_job(started["task_id"])

    # then: failed with a clear code, nothing charged, the hold released
    assert job.status == Job.Status.FAILED and job.error_code == "bad_key"
    assert credits_of(owner) == (before, 0)
    assert CreditHold.unscoped.get(job_id=job.id).status == CreditHold.Status.RELEASED
    task.refresh_from_db()
    assert task.status == "draft" and "key" in task.error.lower()
    assert not Content.unscoped.exists()


def test_an_empty_answer_fails_the_job_without_charging(
    owner, task, fake_openai, run_job, credits_of
):
    use_fake_openai(owner.account_id, fake_openai)
    fake_openai.responder = lambda body: json.dumps({"content": "<script>only()</script>"})
    before, _ = credits_of(owner)

    job = run_job(owner.client.post(URL, {"ids": [task.id]}).json()["data"]["task_id"])

    assert job.status == Job.Status.FAILED and job.error_code == "empty_answer"
    assert credits_of(owner) == (before, 0)


def test_without_credits_it_is_402_and_nothing_is_queued(owner, task):
    credits.credits_charge(account_id=owner.account_id, operation_type="x", amount=95)

    response = owner.client.post(URL, {"ids": [task.id]}, format="json")

    assert response.status_code == 402 and response.json()["code"] == "insufficient_credits"
    assert not Job.unscoped.filter(kind="writer.generate_content").exists()


def test_another_accounts_task_is_404_and_starts_nothing(owner, other_owner, task):
    theirs = TaskFactory(account=other_owner.account)

    response = owner.client.post(URL, {"ids": [task.id, theirs.id]}, format="json")

    assert response.status_code == 404 and response.json()["errors"]["ids"] == [theirs.id]
    assert not Job.unscoped.exists()


def test_at_most_50_tasks_per_batch(owner):
    response = owner.client.post(URL, {"ids": list(range(1, 52))}, format="json")

    assert response.status_code == 400 and "ids" in response.json()["errors"]


def test_an_idempotency_key_replayed_starts_one_job(owner, task, credits_of):
    headers = {"HTTP_IDEMPOTENCY_KEY": "write-task-1"}
    first = owner.client.post(URL, {"ids": [task.id]}, format="json", **headers)
    again = owner.client.post(URL, {"ids": [task.id]}, format="json", **headers)

    assert first.json()["data"]["task_id"] == again.json()["data"]["task_id"]
    assert Job.unscoped.filter(kind="writer.generate_content").count() == 1
    assert credits_of(owner)[1] == 10


def test_a_retried_job_does_not_rewrite_what_it_already_wrote(owner, run_job):
    # given: two tasks; the provider fails transiently on the second the first time
    sector = SectorFactory(account=owner.account)
    first, second = (
        TaskFactory(account=owner.account, sector=sector, site=sector.site) for _ in range(2)
    )
    from flowline.ai.gateway.errors import AIProviderError
    from flowline.writer.services import generation

    calls = {"n": 0}
    real = generation.content_write

    def flaky(*, task, job_id=None):
        calls["n"] += 1
        if task.id == second.id and calls["n"] == 2:
            raise AIProviderError("busy", kind="rate_limited", provider="x")
        return real(task=task, job_id=job_id)

    generation.content_write = flaky
    try:
        task_id = owner.client.post(URL, {"ids": [first.id, second.id]}).json()["data"]["task_id"]
        assert run_job(task_id).status == Job.Status.QUEUED  # retrying
        Job.unscoped.filter(id=task_id).update(run_after=None)
        job = run_job(task_id)
    finally:
        generation.content_write = real

    # then: the first article was written once, the second on the retry
    assert job.status == Job.Status.COMPLETED, job.error
    assert calls["n"] == 3
    assert set(Task.unscoped.values_list("status", flat=True)) == {"review"}


def test_a_task_being_written_cannot_be_queued_again_until_its_job_ends(owner, task, run_job):
    # given: a queued job for the task
    first = owner.client.post(URL, {"ids": [task.id]}, format="json").json()["data"]
    task.refresh_from_db()
    assert task.status == "in_progress"

    # when: asked again meanwhile
    again = owner.client.post(URL, {"ids": [task.id]}, format="json")

    # then: 409, nothing more queued or held
    assert again.status_code == 409 and again.json()["code"] == "generation_in_progress"
    assert Job.unscoped.filter(kind="writer.generate_content").count() == 1
    assert run_job(first["task_id"]).status == Job.Status.COMPLETED
    assert owner.client.post(URL, {"ids": [task.id]}, format="json").status_code == 201


def test_cancelling_a_queued_job_frees_its_tasks_and_its_credits(owner, task, credits_of):
    before, _ = credits_of(owner)
    started = owner.client.post(URL, {"ids": [task.id]}, format="json").json()["data"]

    cancelled = owner.client.post(f"/api/v1/jobs/{started['task_id']}/cancel/")

    assert cancelled.status_code == 200, cancelled.content
    task.refresh_from_db()
    assert task.status == "draft"
    assert credits_of(owner) == (before, 0)
