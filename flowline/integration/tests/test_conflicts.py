"""Changes made on WordPress are not overwritten silently, the content follows the
post's status there, and a live post keeps its permalink when its title changes."""

import json
import time
from datetime import timedelta

import pytest

from flowline.core.tenancy import tenant_scope
from flowline.integration.models import PublishRecord
from flowline.integration.public import publish_content
from flowline.integration.services.inbound import signature
from flowline.integration.tests.conftest import publish_now
from flowline.integration.wordpress import errors
from flowline.writer.models import Content

pytestmark = pytest.mark.django_db

PUBLISH = "/api/v1/publisher/publish/"
CONTENT = "/api/v1/writer/content/"


# --- slugs ---------------------------------------------------------------------------------
def test_editing_a_live_articles_title_keeps_its_permalink(
    owner, article, fake_wordpress, published
):
    post_id = int(published.external_id)

    edited = owner.client.patch(f"{CONTENT}{article.id}/", {"title": "A better title"})
    job = publish_now(owner, [article.id])

    assert edited.status_code == 200 and job.status == "completed", job.error
    post = fake_wordpress.posts[post_id]
    assert post["title"] == "A better title" and post["slug"] == "pour-over-coffee-at-home"
    assert job.result["records"][0]["url"] == published.url
    assert all(
        "slug" not in (r["json"] or {}) for r in fake_wordpress.post_requests(f"posts/{post_id}")
    )


def test_a_slug_the_user_sets_changes_the_permalink_once(owner, article, fake_wordpress, published):
    post_id = int(published.external_id)

    owner.client.patch(f"{CONTENT}{article.id}/", {"slug": "pour-over-guide"})
    first = publish_now(owner, [article.id])
    fake_wordpress.requests.clear()
    second = publish_now(owner, [article.id])

    assert first.result["records"][0]["url"].endswith("/pour-over-guide/")
    assert fake_wordpress.posts[post_id]["slug"] == "pour-over-guide"
    (update,) = fake_wordpress.post_requests(f"posts/{post_id}")
    assert "slug" not in update["json"] and second.status == "completed"


# --- changes made on WordPress -------------------------------------------------------------
def test_a_post_edited_on_wordpress_is_not_overwritten_by_a_republish(
    owner, article, fake_wordpress, published
):
    # given: an editor changes the live post in wp-admin; the article changes in Flowline
    post_id = int(published.external_id)
    fake_wordpress.edit_post(post_id, title="Edited in wp-admin", content="<p>Theirs</p>")
    article.title = "Ours, revised"
    article.save()

    # when
    job = publish_now(owner, [article.id])
    again = owner.client.post(PUBLISH, {"content_ids": [article.id]}, format="json")

    # then: refused, saying what changed; their edit is still there
    assert job.status == "failed" and job.error_code == "wordpress_conflict"
    record = PublishRecord.unscoped.get(id=published.id)
    assert record.status == "conflict"
    changes = record.conflict["fields"]
    assert changes["title"] == {"was": "Pour-over coffee at home", "now": "Edited in wp-admin"}
    assert changes["content"] == {"changed": True}
    assert fake_wordpress.posts[post_id]["title"] == "Edited in wp-admin"
    # a new request is refused at once, naming the content
    assert again.status_code == 409 and again.json()["code"] == "wordpress_conflict"
    assert again.json()["errors"] == {"content_ids": [article.id]}
    assert (
        again.json()["changes"][str(article.id)]["fields"]["title"]["now"] == "Edited in wp-admin"
    )


def test_force_overwrites_the_changes_made_on_wordpress(owner, article, fake_wordpress, published):
    post_id = int(published.external_id)
    fake_wordpress.edit_post(post_id, title="Edited in wp-admin")
    publish_now(owner, [article.id])  # refused: conflict

    job = publish_now(owner, [article.id], force=True)

    assert job.status == "completed", job.error
    assert fake_wordpress.posts[post_id]["title"] == "Pour-over coffee at home"
    record = PublishRecord.unscoped.get(id=published.id)
    assert record.status == "published" and record.conflict == {}
    # and the next publish, with nothing changed on WordPress, goes through
    assert publish_now(owner, [article.id]).status == "completed"


def test_the_queue_refuses_a_known_conflict_unless_forced(
    owner, article, fake_wordpress, published
):
    fake_wordpress.edit_post(int(published.external_id), status="draft")
    owner.client.post(
        f"/api/v1/integration/integrations/{published.integration_id}/sync_wordpress_content/"
    )

    refused = owner.client.post("/api/v1/publisher/queue/", {"content": article.id}, format="json")
    forced = owner.client.post(
        "/api/v1/publisher/queue/", {"content": article.id, "force": True}, format="json"
    )

    assert refused.status_code == 409 and refused.json()["code"] == "wordpress_conflict"
    assert forced.status_code == 201 and forced.json()["data"]["force"] is True


def test_a_status_change_on_wordpress_reaches_the_content_through_a_sync(
    owner, article, fake_wordpress, published
):
    # given: the post went back to a draft on the site
    fake_wordpress.edit_post(int(published.external_id), status="draft")

    # when
    response = owner.client.post(
        f"/api/v1/integration/integrations/{published.integration_id}/sync_wordpress_content/"
    )

    # then
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Content.Status.DRAFT and article.external_url == ""
    record = owner.client.get(f"/api/v1/publisher/records/{published.id}/").json()["data"]
    assert record["post_status"] == "draft"
    assert record["conflict"]["fields"]["status"] == {"was": "publish", "now": "draft"}


def test_a_signed_status_webhook_takes_the_content_down_and_ignores_late_events(
    api_client, owner, article, fake_wordpress, published
):
    def send(event):
        body = json.dumps({"post_id": int(published.external_id), **event}).encode()
        return api_client.post(
            "/api/v1/webhooks/wordpress/status/",
            data=body,
            content_type="application/json",
            HTTP_X_FLOWLINE_INTEGRATION=str(published.integration_id),
            HTTP_X_FLOWLINE_SIGNATURE=signature(
                published.integration.webhook_secret, int(time.time()), body
            ),
        )

    # given: the post is trashed on the site, a second after Flowline's last write
    written = published.remote_modified_gmt
    stamp = (written + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")
    early = (written - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S")

    # when: a late event from before the publish, then the trash
    late = send({"event_id": "wp-1", "status": "draft", "modified_gmt": early})
    article.refresh_from_db()
    after_late = article.status
    trash = send({"event_id": "wp-2", "status": "trash", "modified_gmt": stamp})

    # then
    assert late.status_code == 200 and after_late == Content.Status.PUBLISHED
    assert trash.status_code == 200 and trash.json()["data"]["result"] == "applied"
    article.refresh_from_db()
    assert article.status == Content.Status.DRAFT
    record = PublishRecord.unscoped.get(id=published.id)
    assert record.post_status == "trash"
    assert record.conflict["fields"]["status"] == {"was": "publish", "now": "trash"}


def test_a_lost_answer_to_our_own_update_is_not_taken_for_a_conflict(
    owner, article, fake_wordpress, published, settings
):
    # given: an update reaches WordPress but its answer never comes
    settings.WORDPRESS_TIMEOUT = 2.0
    post_id = int(published.external_id)
    article.title = "Ours, revised"
    article.save()
    fake_wordpress.fail("POST", rf"posts/{post_id}", mode="hang_after")
    with pytest.raises(errors.WordPressTimeout), tenant_scope(owner.account_id):
        publish_content(account_id=owner.account_id, content_ids=[article.id])

    # when
    settings.WORDPRESS_TIMEOUT = 20.0
    with tenant_scope(owner.account_id):
        (record,) = publish_content(account_id=owner.account_id, content_ids=[article.id])

    # then
    assert record.status == "published" and record.conflict == {}
    assert fake_wordpress.posts[post_id]["title"] == "Ours, revised"
