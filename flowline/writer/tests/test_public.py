"""The writer's public functions as automation and integration call them, inline."""

from datetime import UTC, datetime

import pytest

from flowline.core.tenancy import tenant_scope
from flowline.sites.tests.factories import SectorFactory
from flowline.writer import public
from flowline.writer.models import Content, Image, Task
from flowline.writer.tests.factories import ContentFactory, TaskFactory, TaxonomyFactory, idea_for

pytestmark = pytest.mark.django_db


def test_the_pipeline_inline_from_idea_to_published(owner):
    # given: an idea queued to the writer
    sector = SectorFactory(account=owner.account)
    with tenant_scope(owner.account_id):  # the scope automation's job enters for its account
        [task] = public.queue_ideas(account_id=owner.account_id, idea_ids=[idea_for(sector).id])
    reports = []

    # when: written, illustrated and published, as automation and integration would
    with tenant_scope(owner.account_id):
        [content] = public.write_content(
            account_id=owner.account_id,
            task_ids=[task.id],
            progress=lambda percentage, message: reports.append(percentage),
        )
        prompts = public.generate_image_prompts(
            account_id=owner.account_id, content_ids=[content.id]
        )
        assert public.images_to_generate(account_id=owner.account_id, content_ids=[content.id]) == [
            image.id for image in prompts
        ]
        pictures = public.generate_images(account_id=owner.account_id, content_ids=[content.id])
        when = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
        published = public.mark_published(
            content_id=content.id,
            external_id="42",
            url="https://blog.test/?p=42",
            published_at=when,
        )

    # then
    assert reports == sorted(reports) and reports[-1] == 100
    assert [image.status for image in pictures] == ["completed"] * 3
    assert (published.status, published.external_id, published.published_at) == (
        "published",
        "42",
        when,
    )
    assert Task.unscoped.get(id=task.id).status == "completed"
    with tenant_scope(owner.account_id):
        payload = public.publish_payload(account_id=owner.account_id, content_id=content.id)
    assert payload["external_url"] == "https://blog.test/?p=42"
    assert [image["image_type"] for image in payload["images"]] == [
        "featured",
        "in_article",
        "in_article",
    ]
    assert all(
        image["file_name"].startswith(f"writer/{owner.account_id}/") for image in payload["images"]
    )
    assert {term["taxonomy_type"] for term in payload["taxonomies"]} == {"tag"}


def test_republishing_updates_the_same_record(owner):
    content = ContentFactory(account=owner.account)
    first = datetime(2026, 1, 1, tzinfo=UTC)
    public.mark_published(
        content_id=content.id, external_id="7", url="https://a/1", published_at=first
    )

    public.mark_published(
        content_id=content.id, external_id="7", url="https://a/2", published_at=first
    )

    content.refresh_from_db()
    assert (content.external_url, content.status) == ("https://a/2", "published")


def test_taxonomy_link_keeps_the_wordpress_term_in_its_own_account_only(owner, other_owner):
    mine = TaxonomyFactory(account=owner.account)
    theirs = TaxonomyFactory(account=other_owner.account)

    public.taxonomy_link(account_id=owner.account_id, taxonomy_id=mine.id, external_id="15")
    public.taxonomy_link(account_id=owner.account_id, taxonomy_id=theirs.id, external_id="16")

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.external_id, theirs.external_id) == ("15", "")


def test_write_content_refuses_another_accounts_task(owner, other_owner):
    from flowline.core.errors import NotFoundError

    theirs = TaskFactory(account=other_owner.account)

    with pytest.raises(NotFoundError), tenant_scope(owner.account_id):
        public.write_content(account_id=owner.account_id, task_ids=[theirs.id])
    assert not Content.unscoped.exists() and not Image.unscoped.exists()


def test_images_to_generate_leaves_out_done_and_promptless_images(owner):
    from flowline.writer.tests.factories import ImageFactory

    content = ContentFactory(account=owner.account)
    todo = ImageFactory(account=owner.account, content=content, position=1)
    ImageFactory(account=owner.account, content=content, position=2, prompt="")
    ImageFactory(account=owner.account, content=content, position=3, status="completed")

    with tenant_scope(owner.account_id):
        assert public.images_to_generate(account_id=owner.account_id, content_ids=[content.id]) == [
            todo.id
        ]
