"""Posts over HTTP: variants checked per platform, targets in the account only, the
approval flow and who may decide, editing rules."""

import pytest

from flowline.core.roles import Role
from flowline.posts.models import Post, PostTarget
from flowline.posts.tests.factories import social_account

POSTS = "/api/v1/social/posts/"
pytestmark = pytest.mark.django_db


def _body(*targets, **extra):
    return {"text": "Spring collection is here", "targets": [t.id for t in targets], **extra}


def test_post_with_variants_per_platform_is_created_as_draft(owner):
    # given
    x = social_account(owner.account, "twitter")
    li = social_account(owner.account, "linkedin")
    body = _body(
        x,
        li,
        variants={"twitter": {"text": "Short and sweet #spring"}},
        link="https://shop.example.com/spring",
    )
    # when
    response = owner.client.post(POSTS, body, format="json")
    # then
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert data["status"] == "draft"
    assert data["author"] == owner.user.id
    assert data["variants"] == {
        "twitter": {"text": "Short and sweet #spring", "media": [], "link": ""}
    }
    assert sorted((t["platform"], t["status"]) for t in data["targets"]) == [
        ("linkedin", "draft"),
        ("twitter", "draft"),
    ]


def test_variant_too_long_for_x_is_400_with_errors_for_that_platform(owner):
    x = social_account(owner.account, "twitter")
    li = social_account(owner.account, "linkedin")
    response = owner.client.post(POSTS, _body(x, li, text="a" * 400), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert list(body["errors"]["variants"]) == ["twitter"]
    assert "280" in body["errors"]["variants"]["twitter"]["text"][0]
    assert not Post.unscoped.filter(account=owner.account).exists()


def test_instagram_needs_media_and_refuses_a_link(owner):
    ig = social_account(owner.account, "instagram")
    response = owner.client.post(POSTS, _body(ig, link="https://shop.example.com/"), format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]["variants"]["instagram"]
    assert set(errors) == {"media", "link"}


def test_too_many_images_for_x_is_refused(owner):
    x = social_account(owner.account, "twitter")
    media = [{"url": f"https://cdn.example.com/{i}.jpg", "type": "image"} for i in range(5)]
    response = owner.client.post(POSTS, _body(x, media=media), format="json")
    assert response.status_code == 400
    assert "media" in response.json()["errors"]["variants"]["twitter"]


def test_a_variant_fixes_what_the_default_breaks(owner):
    # the default text is too long for X but fine for LinkedIn; X gets its own text
    x = social_account(owner.account, "twitter")
    li = social_account(owner.account, "linkedin")
    body = _body(x, li, text="b" * 1000, variants={"twitter": {"text": "short"}})
    assert owner.client.post(POSTS, body, format="json").status_code == 201


def test_another_accounts_social_account_as_target_is_400(owner, other_owner):
    foreign = social_account(other_owner.account, "twitter")
    response = owner.client.post(POSTS, _body(foreign), format="json")
    assert response.status_code == 400
    assert "targets" in response.json()["errors"]


def test_disconnected_social_account_cannot_be_a_target(owner):
    dead = social_account(owner.account, "twitter", status="expired")
    response = owner.client.post(POSTS, _body(dead), format="json")
    assert response.status_code == 400
    assert "targets" in response.json()["errors"]


def test_unknown_fields_and_platforms_are_refused(owner):
    x = social_account(owner.account, "twitter")
    response = owner.client.post(POSTS, _body(x, status="published"), format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["status"] == ["Unknown field."]
    response = owner.client.post(
        POSTS, _body(x, variants={"myspace": {"text": "hi"}}), format="json"
    )
    assert response.status_code == 400


def test_internal_media_url_is_refused(owner):
    x = social_account(owner.account, "twitter")
    media = [{"url": "http://127.0.0.1/secret.png", "type": "image"}]
    response = owner.client.post(POSTS, _body(x, media=media), format="json")
    assert response.status_code == 400


def test_viewer_reads_but_cannot_write(owner, member_factory):
    viewer = member_factory(owner, Role.VIEWER)
    x = social_account(owner.account, "twitter")
    assert viewer.client.post(POSTS, _body(x), format="json").status_code == 403
    owner.client.post(POSTS, _body(x), format="json")
    assert viewer.client.get(POSTS).json()["count"] == 1


def test_list_filters_by_platform_and_status(owner):
    x = social_account(owner.account, "twitter")
    li = social_account(owner.account, "linkedin")
    owner.client.post(POSTS, _body(x), format="json")
    owner.client.post(POSTS, _body(li), format="json")
    assert owner.client.get(POSTS, {"platform": "linkedin"}).json()["count"] == 1
    assert owner.client.get(POSTS, {"status": "draft"}).json()["count"] == 2
    assert owner.client.get(POSTS, {"status": "published"}).json()["count"] == 0


def test_list_query_count_does_not_grow_with_posts(owner, django_assert_max_num_queries):
    x = social_account(owner.account, "twitter")
    for _ in range(8):
        owner.client.post(POSTS, _body(x, variants={"twitter": {"text": "v"}}), format="json")
    with django_assert_max_num_queries(8):
        response = owner.client.get(POSTS, {"page_size": 50})
    assert response.json()["count"] == 8


def test_update_changes_content_and_targets(owner):
    x = social_account(owner.account, "twitter")
    li = social_account(owner.account, "linkedin")
    post_id = owner.client.post(POSTS, _body(x), format="json").json()["data"]["id"]
    response = owner.client.patch(
        f"{POSTS}{post_id}/", {"text": "New text", "targets": [li.id]}, format="json"
    )
    assert response.status_code == 200, response.json()
    data = response.json()["data"]
    assert data["text"] == "New text"
    assert [t["platform"] for t in data["targets"]] == ["linkedin"]


def test_published_platform_cannot_get_new_content_but_others_can(owner):
    x = social_account(owner.account, "twitter")
    li = social_account(owner.account, "linkedin")
    body = _body(x, li, variants={"linkedin": {"text": "LinkedIn text"}})
    post_id = owner.client.post(POSTS, body, format="json").json()["data"]["id"]
    PostTarget.unscoped.filter(post_id=post_id, platform="twitter").update(status="published")
    # the default text goes to X, which is out already
    response = owner.client.patch(f"{POSTS}{post_id}/", {"text": "changed"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "post_locked"
    # LinkedIn's own variant may still change
    response = owner.client.patch(
        f"{POSTS}{post_id}/", {"variants": {"linkedin": {"text": "Fixed"}}}, format="json"
    )
    assert response.status_code == 200


# --- approval ---------------------------------------------------------------------------


@pytest.fixture
def approval_post(owner, member_factory):
    author = member_factory(owner, Role.EDITOR)
    x = social_account(owner.account, "twitter")
    response = author.client.post(POSTS, _body(x, requires_approval=True), format="json")
    return author, response.json()["data"]["id"]


def test_approval_flow_draft_pending_approved_scheduled(owner, member_factory, approval_post):
    author, post_id = approval_post
    reviewer = member_factory(owner, Role.EDITOR)
    # a post needing approval cannot be scheduled before it is approved
    schedule = {"post": post_id, "scheduled_at": "2099-01-01T09:00:00Z"}
    response = author.client.post("/api/v1/social/schedules/", schedule, format="json")
    assert response.status_code == 409 and response.json()["code"] == "approval_required"

    response = author.client.post(f"{POSTS}{post_id}/submit/")
    assert response.json()["data"]["status"] == "pending_approval"
    response = reviewer.client.post(f"{POSTS}{post_id}/approve/", {"note": "ok"}, format="json")
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["status"], data["approval"], data["approved_by"]) == (
        "approved",
        "approved",
        reviewer.user.id,
    )
    response = author.client.post("/api/v1/social/schedules/", schedule, format="json")
    assert response.status_code == 201
    assert response.json()["data"]["status"] == "scheduled"


def test_editor_cannot_approve_their_own_post(approval_post):
    author, post_id = approval_post
    author.client.post(f"{POSTS}{post_id}/submit/")
    response = author.client.post(f"{POSTS}{post_id}/approve/")
    assert response.status_code == 403
    assert response.json()["code"] == "self_approval"


def test_admin_may_approve_their_own_post(owner, member_factory):
    admin = member_factory(owner, Role.ADMIN)
    x = social_account(owner.account, "twitter")
    post_id = admin.client.post(POSTS, _body(x, requires_approval=True), format="json").json()[
        "data"
    ]["id"]
    admin.client.post(f"{POSTS}{post_id}/submit/")
    assert admin.client.post(f"{POSTS}{post_id}/approve/").status_code == 200


def test_viewer_cannot_approve(owner, member_factory, approval_post):
    author, post_id = approval_post
    author.client.post(f"{POSTS}{post_id}/submit/")
    viewer = member_factory(owner, Role.VIEWER)
    assert viewer.client.post(f"{POSTS}{post_id}/approve/").status_code == 403


def test_rejected_post_goes_back_to_draft_with_a_note(owner, approval_post):
    author, post_id = approval_post
    author.client.post(f"{POSTS}{post_id}/submit/")
    response = owner.client.post(f"{POSTS}{post_id}/reject/", {"note": "Typo"}, format="json")
    data = response.json()["data"]
    assert (data["status"], data["approval"], data["approval_note"]) == (
        "draft",
        "rejected",
        "Typo",
    )
    assert author.client.post(f"{POSTS}{post_id}/submit/").status_code == 200


def test_editing_an_approved_post_takes_the_approval_back(owner, approval_post):
    author, post_id = approval_post
    author.client.post(f"{POSTS}{post_id}/submit/")
    owner.client.post(f"{POSTS}{post_id}/approve/")
    owner.client.post(
        "/api/v1/social/schedules/",
        {"post": post_id, "scheduled_at": "2099-01-01T09:00:00Z"},
        format="json",
    )
    response = author.client.patch(f"{POSTS}{post_id}/", {"text": "Sneaky edit"}, format="json")
    data = response.json()["data"]
    assert (data["approval"], data["status"], data["scheduled_at"]) == ("none", "draft", None)


def test_editor_cannot_drop_the_approval_step(approval_post, owner):
    author, post_id = approval_post
    response = author.client.patch(
        f"{POSTS}{post_id}/", {"requires_approval": False}, format="json"
    )
    assert response.status_code == 403
    response = owner.client.patch(f"{POSTS}{post_id}/", {"requires_approval": False}, format="json")
    assert response.status_code == 200
