"""CSV import (good rows kept, bad rows by line) and the AI helpers (a post per platform,
hashtags), paid in credits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from flowline.ai.testing import fake_openai as openai_fake
from flowline.ai.testing.fixtures import use_fake_openai
from flowline.billing import public as credits
from flowline.billing.models import CreditBalance, CreditTransaction
from flowline.core.roles import Role
from flowline.posts.models import Post, PostTarget, PostVariant
from flowline.posts.tests.factories import social_account

pytestmark = pytest.mark.django_db
IMPORT = "/api/v1/social/posts/import/"


def _upload(member, text: str, **extra):
    upload = SimpleUploadedFile("posts.csv", text.encode(), content_type="text/csv")
    return member.client.post(IMPORT, {"file": upload, **extra}, format="multipart")


def test_csv_import_keeps_good_rows_and_reports_bad_ones_by_line(owner, other_owner):
    x = social_account(owner.account, "twitter")
    li = social_account(owner.account, "linkedin")
    foreign = social_account(other_owner.account, "twitter")
    csv_text = (
        "content,platforms,social_accounts,scheduled_time,media_urls,text_twitter\n"
        "Spring is here,twitter|linkedin,,2099-03-01T09:00:00Z,,Spring! #new\n"  # line 2 ok
        f"{'x' * 300},twitter,,,,\n"  # line 3: too long for X
        f"Foreign target,,{foreign.id},,,\n"  # line 4: not this account's
        "Bad time,linkedin,,tomorrow-ish,,\n"  # line 5
        f"Video day,,{li.id},,https://cdn.example.com/a.mp4,\n"  # line 6 ok (draft)
        "No target,,,,,\n"  # line 7
        "Unknown,myspace,,,,\n"  # line 8
    )
    response = _upload(owner, csv_text)
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert data["created"] == 2
    assert [e["line"] for e in data["errors"]] == [3, 4, 5, 7, 8]
    assert "twitter" in data["errors"][0]["errors"]["variants"]
    assert "targets" in data["errors"][1]["errors"]
    assert "scheduled_at" in data["errors"][2]["errors"]
    first, second = (Post.unscoped.get(id=pk) for pk in data["post_ids"])
    assert first.status == "scheduled"
    assert PostVariant.unscoped.get(post=first).text == "Spring! #new"
    targets = PostTarget.unscoped.filter(post=first)
    assert {t.social_account_id for t in targets} == {x.id, li.id}
    assert second.status == "draft" and second.media == [
        {"url": "https://cdn.example.com/a.mp4", "type": "video"}
    ]
    assert Post.unscoped.filter(account=owner.account).count() == 2


def test_csv_with_only_bad_rows_is_a_400_listing_them(owner):
    response = _upload(owner, "text,platforms\nHello,twitter\n")  # no X account connected
    assert response.status_code == 400
    assert response.json()["code"] == "import_failed"
    assert response.json()["errors"]["rows"][0]["line"] == 2


def test_csv_without_the_needed_columns_or_not_utf8_is_refused(owner):
    assert _upload(owner, "foo,bar\n1,2\n").status_code == 400
    upload = SimpleUploadedFile("p.csv", "text,platforms\nCafé,twitter\n".encode("utf-16"))
    assert owner.client.post(IMPORT, {"file": upload}, format="multipart").status_code == 400


def test_csv_import_can_leave_rows_as_drafts(owner):
    social_account(owner.account, "linkedin")
    text = "text,platforms,scheduled_at\nLater,linkedin,2099-01-01T10:00:00\n"
    response = _upload(owner, text, schedule="false")
    post = Post.unscoped.get(id=response.json()["data"]["post_ids"][0])
    assert post.status == "draft" and post.scheduled_at is None


def test_viewer_cannot_import(owner, member_factory):
    viewer = member_factory(owner, Role.VIEWER)
    assert _upload(viewer, "text,platforms\nHi,twitter\n").status_code == 403


# --- AI -----------------------------------------------------------------------------------


@pytest.fixture
def offline(no_ai_environment):
    return no_ai_environment


def _available(owner) -> int:
    return CreditBalance.unscoped.get(account_id=owner.account_id).available


def test_a_post_per_platform_is_generated_and_charged_per_platform(owner, offline):
    before = _available(owner)
    response = owner.client.post(
        "/api/v1/ai/generate/social-post/",
        {"subject": "Our linen shirts are back", "platforms": ["twitter", "linkedin"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()["data"]
    assert set(data["variants"]) == {"twitter", "linkedin"}
    assert all(v["text"] and v["errors"] == {} for v in data["variants"].values())
    assert data["variants"]["twitter"]["hashtags"][0].startswith("#")
    assert data["credits_used"] == 2 and data["offline"] is True and data["saved"] is False
    assert _available(owner) == before - 2
    deduction = CreditTransaction.unscoped.get(
        account_id=owner.account_id, transaction_type="deduction"
    )
    assert deduction.operation_type == "social_post"


def test_generated_posts_can_be_saved_as_the_posts_variants(owner, offline):
    x = social_account(owner.account, "twitter")
    post_id = owner.client.post(
        "/api/v1/social/posts/", {"text": "draft", "targets": [x.id]}, format="json"
    ).json()["data"]["id"]
    response = owner.client.post(
        "/api/v1/ai/generate/social-post/",
        {"subject": "Summer sale", "post_id": post_id},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["data"]["saved"] is True
    post = owner.client.get(f"/api/v1/social/posts/{post_id}/").json()["data"]
    assert (
        post["variants"]["twitter"]["text"]
        == response.json()["data"]["variants"]["twitter"]["text"]
    )


def test_hashtags_are_generated_and_charged(owner, offline):
    before = _available(owner)
    response = owner.client.post(
        "/api/v1/ai/generate/hashtags/",
        {"text": "Handmade ceramic mugs for slow mornings", "count": 3},
        format="json",
    )
    assert response.status_code == 200, response.json()
    tags = response.json()["data"]["hashtags"]
    assert 1 <= len(tags) <= 3 and all(t.startswith("#") for t in tags)
    assert _available(owner) == before - 1


@pytest.mark.parametrize("text", [0, 12.5, True, ["mugs"]])
def test_hashtags_for_a_text_that_is_not_a_string_is_400(owner, offline, text):
    response = owner.client.post("/api/v1/ai/generate/hashtags/", {"text": text}, format="json")
    assert response.status_code == 400, response.json()
    assert "text" in response.json()["errors"]


def test_hashtags_for_a_text_with_nothing_to_tag_is_400_and_costs_nothing(owner, offline):
    before = _available(owner)
    response = owner.client.post("/api/v1/ai/generate/hashtags/", {"text": "0"}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "no_hashtags"
    assert _available(owner) == before


def test_no_credits_is_402_and_nothing_is_called(owner, offline):
    credits.credits_adjust(
        account_id=owner.account_id, amount=-_available(owner), reason="test", user_id=None
    )
    response = owner.client.post("/api/v1/ai/generate/hashtags/", {"text": "Mugs"}, format="json")
    assert response.status_code == 402 and response.json()["code"] == "insufficient_credits"


def test_a_provider_failure_costs_nothing(owner, fake_openai):
    use_fake_openai(owner.account_id, fake_openai, api_key="wrong-key")
    before = _available(owner)
    response = owner.client.post(
        "/api/v1/ai/generate/social-post/",
        {"subject": "Anything", "platforms": ["linkedin"]},
        format="json",
    )
    assert response.status_code >= 400
    assert _available(owner) == before
    assert openai_fake.GOOD_KEY != "wrong-key"


def test_generation_with_the_fake_openai_provider(owner, fake_openai):
    use_fake_openai(owner.account_id, fake_openai)
    # an answer that is not the JSON asked for gives a clear 502 and costs nothing
    before = _available(owner)
    response = owner.client.post(
        "/api/v1/ai/generate/social-post/",
        {"subject": "Linen shirts", "platforms": ["twitter"]},
        format="json",
    )
    assert response.status_code == 502 and response.json()["code"] == "empty_answer"
    assert _available(owner) == before
    fake_openai.responder = lambda body: (
        '{"text": "Linen is back.", "hashtags": ["linen", "#summer"]}'
    )
    response = owner.client.post(
        "/api/v1/ai/generate/social-post/",
        {"subject": "Linen shirts", "platforms": ["twitter"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()["data"]
    assert data["offline"] is False
    assert data["variants"]["twitter"] == {
        "text": "Linen is back.",
        "hashtags": ["#linen", "#summer"],
        "errors": {},
    }
    assert any("social media post" in str(r.get("body", "")) for r in fake_openai.requests)


def test_viewer_cannot_generate(owner, member_factory, offline):
    viewer = member_factory(owner, Role.VIEWER)
    response = viewer.client.post("/api/v1/ai/generate/hashtags/", {"text": "Mugs"}, format="json")
    assert response.status_code == 403


def test_unknown_platform_is_400(owner, offline):
    response = owner.client.post(
        "/api/v1/ai/generate/social-post/",
        {"subject": "x", "platforms": ["myspace"]},
        format="json",
    )
    assert response.status_code == 400


def test_a_replayed_idempotency_key_is_charged_once(owner, offline):
    before = _available(owner)
    body = {"text": "Handmade mugs", "count": 2}
    first = owner.client.post(
        "/api/v1/ai/generate/hashtags/", body, format="json", HTTP_IDEMPOTENCY_KEY="tags-1"
    )
    again = owner.client.post(
        "/api/v1/ai/generate/hashtags/", body, format="json", HTTP_IDEMPOTENCY_KEY="tags-1"
    )
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["data"] == first.json()["data"]
    assert _available(owner) == before - 1
