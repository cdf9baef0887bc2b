"""A create whose answer was lost is found on a real-looking site: WordPress strips the
HTML comment out of a search and lists only ten posts a page, newest (and scheduled)
first, so the post must be searched for by plain text and the pages walked."""

from datetime import timedelta

import pytest

from flowline.core.tenancy import tenant_scope
from flowline.integration.models import PublishRecord
from flowline.integration.public import publish_content
from flowline.integration.testing import APP_PASSWORD, USERNAME
from flowline.integration.tests.conftest import connect_wordpress
from flowline.integration.wordpress import errors
from flowline.integration.wordpress.client import Credentials, WordPressClient

pytestmark = pytest.mark.django_db


def test_a_lost_create_is_found_on_a_busy_site_instead_of_posted_twice(
    owner, article, fake_wordpress, settings
):
    # given: a site with a dozen scheduled posts; WordPress makes ours but the answer is lost
    settings.WORDPRESS_TIMEOUT = 2.0
    connect_wordpress(article.site, fake_wordpress)
    soon = fake_wordpress.now() + timedelta(days=1)
    for n in range(12):
        fake_wordpress.add_post(f"Scheduled {n}", status="future", date=soon + timedelta(hours=n))
    fake_wordpress.fail("POST", "posts", mode="hang_after")
    with pytest.raises(errors.UnknownOutcome), tenant_scope(owner.account_id):
        publish_content(account_id=owner.account_id, content_ids=[article.id])
    for n in range(15):  # the site's editors keep writing meanwhile
        fake_wordpress.add_post(f"Written meanwhile {n}")

    # when
    settings.WORDPRESS_TIMEOUT = 20.0
    with tenant_scope(owner.account_id):
        (record,) = publish_content(account_id=owner.account_id, content_ids=[article.id])

    # then: the post it made is the one published, and there is only one
    ours = [p for p in fake_wordpress.posts.values() if p["title"] == article.title]
    assert len(ours) == 1 and record.external_id == str(ours[0]["id"])
    assert record.status == "published" and ours[0]["status"] == "publish"
    assert "flowline:" not in ours[0]["content"]
    assert len(fake_wordpress.post_requests("posts")) == 1


def test_the_search_walks_every_page_of_results(fake_wordpress):
    # given: 150 posts match the search's words; only ours, the newest, has the text
    for n in range(150):
        fake_wordpress.add_post(f"Guide {n}", content="<p>a guide to brew</p>")
    ours = fake_wordpress.add_post("Ours", status="draft", content="<p>our brew guide</p>")

    # when
    with WordPressClient(Credentials(fake_wordpress.base_url, USERNAME, APP_PASSWORD)) as wp:
        found = wp.find_post_containing("brew guide")
        absent = wp.find_post_containing("brew guides")

    # then
    assert found["id"] == ours and absent is None
    searches = [r["path"] for r in fake_wordpress.requests if "search=" in r["path"]]
    assert len(searches) == 3  # two pages to find it, one to find nothing
    assert all("per_page=100" in path for path in searches)


def test_a_record_created_before_this_release_republishes_its_post(owner, article, fake_wordpress):
    # given: a post published before Flowline kept its modified time and version
    integration = connect_wordpress(article.site, fake_wordpress)
    post_id = fake_wordpress.add_post(article.title, content="<p>old</p>")
    PublishRecord.unscoped.create(
        account_id=owner.account_id,
        integration=integration,
        content=article,
        site=article.site,
        status="published",
        external_id=str(post_id),
        post_status="publish",
    )

    # when
    with tenant_scope(owner.account_id):
        (record,) = publish_content(account_id=owner.account_id, content_ids=[article.id])

    # then: the same post, updated (nothing to compare with: no conflict)
    assert record.status == "published" and record.external_id == str(post_id)
    assert fake_wordpress.posts[post_id]["content"].startswith("<h2>Grind</h2>")
    assert record.remote_modified_gmt is not None and len(fake_wordpress.posts) == 1
