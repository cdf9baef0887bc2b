"""The fake WordPress answers as WordPress core's REST API does where Flowline depends
on it (search sanitising, paging, ordering, statuses, trash, media, meta)."""

from datetime import datetime, timedelta

import httpx
import pytest

from flowline.integration.testing import APP_PASSWORD, USERNAME
from flowline.sandbox.wordpress.wp_search import sanitize_text_field, search_terms


@pytest.fixture
def site(fake_wordpress):
    with httpx.Client(
        base_url=fake_wordpress.base_url + "/wp-json/wp/v2", auth=(USERNAME, APP_PASSWORD)
    ) as client:
        yield client


def test_sanitize_text_field_strips_comments_tags_and_percent_octets():
    assert sanitize_text_field("<!-- flowline:abc -->") == ""
    assert sanitize_text_field("  a <b>bold</b>\n\tword ") == "a bold word"
    assert sanitize_text_field("flowline:abc") == "flowline:abc"
    assert sanitize_text_field("50%25 off %zz") == "50 off %zz"
    assert sanitize_text_field("1 < 2") == "1 &lt; 2"


def test_search_terms_drop_stopwords_and_keep_phrases():
    assert search_terms("the pour over") == ["pour", "over"]
    assert search_terms('"pour over" coffee') == ["pour over", "coffee"]
    assert search_terms("a the") == ["a the"]  # only stopwords: one sentence


def test_a_search_for_an_html_comment_searches_for_nothing(fake_wordpress, site):
    # given: the post carrying the comment is older than ten others
    marked = fake_wordpress.add_post("Marked", content="<p>x</p><!-- flowline:tok -->")
    for n in range(12):
        fake_wordpress.add_post(f"Other {n}")

    # when
    by_comment = site.get("/posts", params={"search": "<!-- flowline:tok -->", "status": "any"})
    by_text = site.get("/posts", params={"search": "flowline:tok", "status": "any"})

    # then: WordPress dropped the search and listed the ten newest
    assert by_comment.status_code == 200 and len(by_comment.json()) == 10
    assert marked not in [row["id"] for row in by_comment.json()]
    assert [row["id"] for row in by_text.json()] == [marked]


def test_per_page_over_100_is_refused_not_capped(site):
    response = site.get("/posts", params={"per_page": 101})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rest_invalid_param" and body["data"]["status"] == 400
    assert "per_page must be between 1 (inclusive) and 100 (inclusive)" in str(body["data"])


def test_posts_are_paged_newest_first_with_scheduled_posts_ahead(fake_wordpress, site):
    # given
    soon = fake_wordpress.now() + timedelta(days=2)
    scheduled = fake_wordpress.add_post("Next week", status="future", date=soon)
    older = fake_wordpress.add_post("Old", date=datetime(2020, 1, 1))
    for n in range(4):
        fake_wordpress.add_post(f"Today {n}")

    # when
    first = site.get("/posts", params={"per_page": 2, "status": "publish,future"})
    last = site.get("/posts", params={"per_page": 2, "page": 3, "status": "publish,future"})
    beyond = site.get("/posts", params={"per_page": 2, "page": 4, "status": "publish,future"})

    # then
    assert first.headers["X-WP-Total"] == "6" and first.headers["X-WP-TotalPages"] == "3"
    assert first.json()[0]["id"] == scheduled and first.json()[0]["status"] == "future"
    assert last.json()[-1]["id"] == older
    assert beyond.status_code == 400 and beyond.json()["code"] == "rest_post_invalid_page_number"


def test_other_statuses_and_raw_fields_need_a_signed_in_editor(fake_wordpress):
    fake_wordpress.add_post("Draft", status="draft")
    anonymous = httpx.Client(base_url=fake_wordpress.base_url + "/wp-json/wp/v2")

    with anonymous:
        drafts = anonymous.get("/posts", params={"status": "draft"})
        raw = anonymous.get("/posts", params={"context": "edit"})
        public = anonymous.get("/posts")

    assert drafts.status_code == 401 and drafts.json()["code"] == "rest_forbidden_status"
    assert raw.status_code == 401 and raw.json()["code"] == "rest_forbidden_context"
    assert public.json() == [] and public.headers["X-WP-TotalPages"] == "0"


def test_a_published_post_keeps_its_slug_and_the_trash_sets_it_aside(site):
    created = site.post("/posts", json={"title": "First title", "status": "publish"}).json()
    post_id = created["id"]

    renamed = site.post(f"/posts/{post_id}", json={"title": "Second title"}).json()
    trashed = site.delete(f"/posts/{post_id}").json()
    again = site.delete(f"/posts/{post_id}")
    restored = site.post(f"/posts/{post_id}", json={"status": "publish"}).json()
    deleted = site.delete(f"/posts/{post_id}", params={"force": "true"}).json()

    assert created["slug"] == renamed["slug"] == "first-title"
    assert created["content"]["raw"] == "" and created["modified_gmt"]
    assert trashed["status"] == "trash" and trashed["slug"] == "first-title__trashed"
    assert again.status_code == 410 and again.json()["code"] == "rest_already_trashed"
    assert restored["slug"] == "first-title" and restored["status"] == "publish"
    assert deleted["deleted"] is True and deleted["previous"]["id"] == post_id


def test_media_attach_by_post_and_need_force_to_be_deleted(fake_wordpress, site):
    post_id = site.post("/posts", json={"title": "With a picture"}).json()["id"]
    headers = {"Content-Type": "image/png", "Content-Disposition": 'attachment; filename="a.png"'}

    media = site.post(
        "/media", content=b"png", headers=headers, params={"post": post_id, "alt_text": "A"}
    ).json()
    trash = site.delete(f"/media/{media['id']}")
    gone = site.delete(f"/media/{media['id']}", params={"force": "true"})

    assert media["post"] == post_id and media["alt_text"] == "A"
    assert trash.status_code == 501 and trash.json()["code"] == "rest_trash_not_supported"
    assert gone.status_code == 200 and media["id"] not in fake_wordpress.media


def test_unregistered_meta_is_dropped(fake_wordpress, site):
    fake_wordpress.register_meta("kept")

    post = site.post("/posts", json={"title": "T", "meta": {"kept": "1", "dropped": "2"}}).json()

    assert post["meta"] == {"kept": "1"}
