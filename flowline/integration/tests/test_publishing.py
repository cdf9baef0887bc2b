"""Publishing to WordPress: through `publisher/publish/` (a job) and `publish_content`
(what automation calls): images to the media library, terms by slug, meta; re-publishing
updates the same post; an unknown outcome is settled without a second post; errors map
to clear codes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from flowline.core.roles import Role
from flowline.core.tenancy import tenant_scope
from flowline.integration.models import PublishQueueItem, PublishRecord
from flowline.integration.public import publish_content
from flowline.integration.services import queue
from flowline.integration.services.publishing import marker
from flowline.integration.tests.conftest import connect_wordpress
from flowline.integration.wordpress import errors
from flowline.jobs import public as jobs
from flowline.jobs.models import Job
from flowline.webhooks.models import WebhookDelivery
from flowline.webhooks.tests.factories import WebhookEndpointFactory
from flowline.writer.models import Content

pytestmark = pytest.mark.django_db

PUBLISH = "/api/v1/publisher/publish/"


def _publish_job(member, content_ids, **extra):
    response = member.client.post(PUBLISH, {"content_ids": content_ids, **extra}, format="json")
    assert response.status_code == 201, response.content
    job_id = response.json()["data"]["task_id"]
    jobs.run(job_id)
    return Job.unscoped.get(id=job_id)


def test_publishing_uploads_images_matches_terms_and_creates_the_post(
    owner, article, fake_wordpress
):
    # given: a site that registered Flowline's meta keys (WordPress drops unregistered ones)
    integration = connect_wordpress(article.site, fake_wordpress)
    fake_wordpress.register_meta(
        "flowline_content_id", "flowline_meta_title", "flowline_meta_description"
    )
    existing_category = fake_wordpress.add_term("categories", "Coffee", "coffee")
    WebhookEndpointFactory(account=owner.account, event_types=["content.published"])

    # when
    job = _publish_job(owner, [article.id])

    # then: one post with both images in the media library, the HTML pointing at them
    assert job.status == "completed", job.error
    (post,) = fake_wordpress.posts.values()
    featured, inline = sorted(fake_wordpress.media.values(), key=lambda m: m["id"])
    assert featured["slug"] == "hero" and featured["alt_text"] == "A dripper"
    assert featured["data"].startswith(b"\x89PNG") and featured["mime_type"] == "image/png"
    assert post["featured_media"] == featured["id"]
    assert inline["source_url"] in post["content"] and "/media/writer/" not in post["content"]
    # the category matched by slug, the tag created
    assert post["categories"] == [existing_category]
    (tag,) = fake_wordpress.terms["tags"].values()
    assert (tag["name"], tag["slug"]) == ("Brewing", "brewing") and post["tags"] == [tag["id"]]
    # meta
    assert post["title"] == "Pour-over coffee at home" and post["status"] == "publish"
    assert post["slug"] == "pour-over-coffee-at-home"
    assert post["excerpt"] == "How to brew pour-over coffee at home."
    assert post["meta"]["flowline_meta_title"] == "Pour-over coffee: a guide"
    assert post["meta"]["flowline_content_id"] == str(article.id)
    # every request used the application password
    assert all(r["headers"]["authorization"].startswith("Basic ") for r in fake_wordpress.requests)
    # and we remember where it went
    record = PublishRecord.unscoped.get(integration=integration, content=article)
    assert record.status == "published" and record.external_id == str(post["id"])
    assert record.url == f"{fake_wordpress.base_url}/pour-over-coffee-at-home/"
    article.refresh_from_db()
    assert article.status == Content.Status.PUBLISHED and article.external_url == record.url
    assert article.external_id == str(post["id"])
    delivery = WebhookDelivery.unscoped.get(event_type="content.published")
    assert delivery.payload["post_id"] == str(post["id"]) and delivery.payload["url"] == record.url
    assert job.result["records"][0]["status"] == "published"


def test_republishing_updates_the_same_post_and_uploads_nothing_again(
    owner, article, fake_wordpress
):
    # given
    connect_wordpress(article.site, fake_wordpress)
    with tenant_scope(owner.account_id):
        publish_content(account_id=owner.account_id, content_ids=[article.id])
    uploads = len(fake_wordpress.post_requests("media"))

    # when
    article.title = "Pour-over coffee, revised"
    article.save()
    with tenant_scope(owner.account_id):
        (record,) = publish_content(account_id=owner.account_id, content_ids=[article.id])

    # then
    (post,) = fake_wordpress.posts.values()
    assert post["title"] == "Pour-over coffee, revised"
    assert record.external_id == str(post["id"]) and record.attempts == 2
    assert len(fake_wordpress.post_requests("media")) == uploads
    assert len(fake_wordpress.post_requests("posts")) == 1  # one create, then an update


def test_a_post_deleted_on_the_site_is_published_anew(owner, article, fake_wordpress):
    connect_wordpress(article.site, fake_wordpress)
    with tenant_scope(owner.account_id):
        (first,) = publish_content(account_id=owner.account_id, content_ids=[article.id])
    fake_wordpress.posts.clear()

    with tenant_scope(owner.account_id):
        (again,) = publish_content(account_id=owner.account_id, content_ids=[article.id])

    (post,) = fake_wordpress.posts.values()
    assert again.external_id == str(post["id"]) != first.external_id


def test_a_create_whose_answer_never_came_is_found_instead_of_sent_twice(
    owner, article, fake_wordpress, settings
):
    # given: WordPress makes the post but the answer never arrives
    settings.WORDPRESS_TIMEOUT = 2.0  # long enough for the calls that answer, on a busy machine
    connect_wordpress(article.site, fake_wordpress)
    fake_wordpress.fail("POST", "posts", mode="hang_after")

    # when
    with pytest.raises(errors.UnknownOutcome), tenant_scope(owner.account_id):
        publish_content(account_id=owner.account_id, content_ids=[article.id])
    record = PublishRecord.unscoped.get(content=article)
    unknown_status, token = record.status, record.attempt_token
    settings.WORDPRESS_TIMEOUT = 20.0
    with tenant_scope(owner.account_id):
        (retried,) = publish_content(account_id=owner.account_id, content_ids=[article.id])

    # then
    assert unknown_status == "unknown" and token
    (post,) = fake_wordpress.posts.values()
    assert retried.status == "published" and retried.external_id == str(post["id"])
    assert len(fake_wordpress.post_requests("posts")) == 1  # never created twice
    # the marker that found it is gone from the published post
    assert marker(token) not in post["content"] and "flowline:" not in post["content"]
    assert post["content"].startswith("<h2>Grind</h2>") and post["status"] == "publish"


def test_a_server_error_hands_the_content_to_the_queue_which_publishes_it_once(
    owner, article, fake_wordpress
):
    # given
    connect_wordpress(article.site, fake_wordpress)
    fake_wordpress.fail("POST", "posts", status=500)

    # when
    job = _publish_job(owner, [article.id])
    (outcome,) = job.result["records"]
    due = timezone.now() + timedelta(minutes=5)
    swept = queue.publish_due(now=due)

    # then: the job said so, the queue took it over and published it
    assert job.status == "completed" and outcome["error_code"] == "wordpress_unavailable"
    item = PublishQueueItem.unscoped.get(id=outcome["retry"]["queue_item_id"])
    assert outcome["retry"]["attempts"] == 1 and outcome["retry"]["max_attempts"] == 12
    assert swept == {"published": 1}
    item.refresh_from_db()
    assert item.status == "published" and item.attempts == 2
    assert len(fake_wordpress.posts) == 1


def test_bad_credentials_fail_the_job_at_once_with_a_clear_code(owner, article, fake_wordpress):
    # given
    connect_wordpress(article.site, fake_wordpress, app_password="revoked revoked")
    WebhookEndpointFactory(account=owner.account, event_types=["content.publish_failed"])

    # when
    job = _publish_job(owner, [article.id])

    # then
    assert job.status == "failed" and job.error_code == "wordpress_auth_failed"
    assert "invalid application password" in job.error
    record = PublishRecord.unscoped.get(content=article)
    assert record.status == "failed" and record.error_code == "wordpress_auth_failed"
    assert WebhookDelivery.unscoped.filter(event_type="content.publish_failed").count() == 1
    assert fake_wordpress.posts == {}


def test_wordpress_refusing_the_post_is_a_rejected_error_with_its_code(
    owner, article, fake_wordpress
):
    connect_wordpress(article.site, fake_wordpress)
    fake_wordpress.fail(
        "POST", "posts", status=400, code="rest_invalid_param", message="Invalid parameter(s): slug"
    )

    with tenant_scope(owner.account_id):
        (record,) = publish_content(account_id=owner.account_id, content_ids=[article.id])

    assert record.status == "failed" and record.error_code == "wordpress_rejected"
    assert "Invalid parameter(s): slug" in record.error


def test_publish_asks_for_content_of_the_account_and_a_connected_site(
    owner, other_owner, article, fake_wordpress
):
    # given: the article's site is not connected yet
    from flowline.writer.tests.factories import ContentFactory

    foreign = ContentFactory(account=other_owner.account)

    # when
    unconnected = owner.client.post(PUBLISH, {"content_ids": [article.id]}, format="json")
    other = owner.client.post(PUBLISH, {"content_ids": [foreign.id]}, format="json")

    # then
    assert unconnected.status_code == 400 and unconnected.json()["code"] == "no_integration"
    assert other.status_code == 404 and other.json()["errors"] == {"content_ids": [foreign.id]}
    assert Job.unscoped.filter(kind="integration.publish").count() == 0


def test_a_repeated_publish_request_with_its_key_starts_one_job(owner, article, fake_wordpress):
    connect_wordpress(article.site, fake_wordpress)
    headers = {"HTTP_IDEMPOTENCY_KEY": "publish-article-1"}

    first = owner.client.post(PUBLISH, {"content_ids": [article.id]}, format="json", **headers)
    again = owner.client.post(PUBLISH, {"content_ids": [article.id]}, format="json", **headers)

    assert first.status_code == 201 and again.status_code == 201
    assert first.json()["data"]["task_id"] == again.json()["data"]["task_id"]
    assert Job.unscoped.filter(kind="integration.publish").count() == 1


def test_two_members_with_the_same_key_start_a_publish_each(
    owner, member_factory, article, fake_wordpress
):
    # given: a colleague already published with the key "publish-now"
    connect_wordpress(article.site, fake_wordpress)
    colleague = member_factory(owner, Role.EDITOR, email="colleague@example.com")
    headers = {"HTTP_IDEMPOTENCY_KEY": "publish-now"}
    theirs = colleague.client.post(PUBLISH, {"content_ids": [article.id]}, format="json", **headers)

    # when: the owner sends the same key and body
    mine = owner.client.post(PUBLISH, {"content_ids": [article.id]}, format="json", **headers)

    # then: the owner's request starts its own job (keys are per user, not per account)
    assert theirs.status_code == mine.status_code == 201
    assert mine.json()["data"]["task_id"] != theirs.json()["data"]["task_id"]
    assert Job.unscoped.filter(kind="integration.publish").count() == 2


def test_a_draft_on_wordpress_does_not_mark_the_content_published(owner, article, fake_wordpress):
    connect_wordpress(article.site, fake_wordpress)

    with tenant_scope(owner.account_id):
        (record,) = publish_content(
            account_id=owner.account_id, content_ids=[article.id], post_status="draft"
        )

    assert record.status == "published" and record.post_status == "draft"
    article.refresh_from_db()
    assert article.status != Content.Status.PUBLISHED


def test_records_are_listed_per_account(owner, other_owner, article, fake_wordpress):
    connect_wordpress(article.site, fake_wordpress)
    with tenant_scope(owner.account_id):
        publish_content(account_id=owner.account_id, content_ids=[article.id])

    mine = owner.client.get("/api/v1/publisher/records/", {"status": "published"})
    theirs = other_owner.client.get("/api/v1/publisher/records/")

    assert mine.json()["count"] == 1 and mine.json()["results"][0]["content"] == article.id
    assert theirs.json()["count"] == 0
