"""Social publishing in the console over HTTP: the composer's form becomes the API's post
(with its per-platform refusals), a post's failed targets are retried alone, the calendar
moves a post, the approval queue, the CSV import with its bad rows, account health."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from flowline.core.testing.pages import CSRF, page_client
from flowline.posts.models import Post, PostTarget, PostVariant
from flowline.social.models import SocialAccount
from flowline.social.testing.fixtures import connect_linkedin, connect_twitter


@pytest.fixture
def x_and_linkedin(owner, fake_x, fake_linkedin):
    return connect_twitter(owner, fake_x), connect_linkedin(owner, fake_linkedin)


def _compose(client, intent: str, targets: list, text: str, **fields):
    """Submit the composer as a person would: pick `targets`, write `text`, press the
    button for `intent` (draft, now, schedule, submit, next_slot)."""
    form = {"csrf_token": CSRF, "intent": intent, "targets": [t.id for t in targets]}
    return client.post("/social/posts/new/", {**form, "text": text, **fields})


@pytest.mark.django_db
def test_composer_shows_each_platforms_refusal_beside_its_text(owner, x_and_linkedin):
    x, linkedin = x_and_linkedin
    client = page_client(owner)

    # when: the X text is longer than X allows
    answer = _compose(
        client, "draft", [x, linkedin], "Spring is here", variant_twitter_text="x" * 300
    )

    # then: nothing is stored, and the API's words are on the X section
    assert answer.status_code == 400
    assert "300 characters; twitter allows 280." in answer.content.decode()
    assert not Post.unscoped.exists()


@pytest.mark.django_db
def test_composer_posts_now_to_two_platforms_with_an_own_text_for_one(owner, x_and_linkedin):
    x, linkedin = x_and_linkedin
    client = page_client(owner)

    # when
    answer = _compose(
        client,
        "now",
        [x, linkedin],
        "Spring is here",
        media="https://cdn.example.com/spring.jpg",
        variant_twitter_text="Spring! #sale",
    )

    # then: one post, both targets queued, X with its own text
    post = Post.unscoped.get()
    assert answer.status_code == 302 and answer["Location"] == f"/social/posts/{post.id}/"
    targets = PostTarget.unscoped.filter(post=post)
    assert sorted(t.status for t in targets) == ["scheduled", "scheduled"]
    assert PostVariant.unscoped.get(post=post, platform="twitter").text == "Spring! #sale"
    assert post.media == [{"url": "https://cdn.example.com/spring.jpg", "type": "image"}]


@pytest.mark.django_db
def test_retry_sends_only_the_failed_target_again(owner, x_and_linkedin):
    x, linkedin = x_and_linkedin
    client = page_client(owner)
    _compose(client, "now", [x, linkedin], "Hi")
    post = Post.unscoped.get()
    PostTarget.unscoped.filter(post=post, platform="twitter").update(status="published")
    PostTarget.unscoped.filter(post=post, platform="linkedin").update(
        status="failed", error="Duplicate content", error_code="DUPLICATE_POST"
    )
    page = client.get(f"/social/posts/{post.id}/").content.decode()
    assert "Duplicate content" in page and "Retry the failed target" in page
    failed = PostTarget.unscoped.get(post=post, platform="linkedin")

    # when
    client.post(
        f"/social/posts/{post.id}/",
        {"csrf_token": CSRF, "action": "retry", "target_ids": [failed.id]},
    )

    # then
    states = dict(PostTarget.unscoped.filter(post=post).values_list("platform", "status"))
    assert states == {"twitter": "published", "linkedin": "scheduled"}


@pytest.mark.django_db
def test_moving_a_post_on_the_calendar_reschedules_it(owner, x_and_linkedin):
    x, _ = x_and_linkedin
    client = page_client(owner)
    when = (timezone.now() + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    _compose(client, "schedule", [x], "Later", scheduled_at=when.strftime("%Y-%m-%dT%H:%M"))
    post = Post.unscoped.get()
    assert post.scheduled_at == when
    calendar = client.get(f"/social/calendar/?date={when.date().isoformat()}").content.decode()
    assert f'data-post="{post.id}"' in calendar

    # when
    moved = when + timedelta(days=1, hours=2)
    client.post(
        "/social/calendar/",
        {
            "csrf_token": CSRF,
            "action": "move",
            "post": post.id,
            "scheduled_at": moved.strftime("%Y-%m-%dT%H:%M"),
        },
    )

    # then
    post.refresh_from_db()
    assert post.scheduled_at == moved
    assert PostTarget.unscoped.get(post=post).due_at == moved


@pytest.mark.django_db
def test_week_view_and_approval_queue_render(owner, x_and_linkedin):
    x, _ = x_and_linkedin
    client = page_client(owner)
    _compose(client, "submit", [x], "Needs a look", requires_approval="on")
    post = Post.unscoped.get()
    assert post.approval == "pending"
    assert client.get("/social/calendar/?view=week").status_code == 200

    queue = client.get("/social/approvals/").content.decode()
    assert "Needs a look" in queue

    # when: the owner approves it from the queue
    client.post(
        f"/social/posts/{post.id}/",
        {"csrf_token": CSRF, "action": "approve", "next": "/social/approvals/"},
    )

    # then
    post.refresh_from_db()
    assert post.approval == "approved"

    # when: the approved post is scheduled from its page
    client.post(
        f"/social/posts/{post.id}/",
        {"csrf_token": CSRF, "action": "schedule", "intent": "now"},
    )

    # then
    post.refresh_from_db()
    assert post.status == "scheduled"


@pytest.mark.django_db
def test_csv_import_lists_each_bad_row_with_its_line(owner, x_and_linkedin):
    client = page_client(owner)
    rows = "text,platforms\nGood one,twitter\n" + "x" * 300 + ",twitter\n"
    upload = SimpleUploadedFile("posts.csv", rows.encode(), content_type="text/csv")

    # when
    page = client.post("/social/posts/import/", {"csrf_token": CSRF, "file": upload})

    # then
    body = page.content.decode()
    assert "1 posts imported." in body
    assert "<td>3</td>" in body and "twitter allows 280" in body
    assert Post.unscoped.count() == 1


@pytest.mark.django_db
def test_accounts_page_shows_token_health_and_offers_reconnect(owner, x_and_linkedin):
    _, linkedin = x_and_linkedin
    SocialAccount.unscoped.filter(pk=linkedin.pk).update(status="expired", last_error="Revoked")
    client = page_client(owner)

    # when
    page = client.get("/social/accounts/").content.decode()

    # then
    assert 'data-account="twitter" data-health="healthy"' in page
    assert 'data-account="linkedin" data-health="needs_reconnect"' in page
    # one Reconnect button, on the LinkedIn row: it starts LinkedIn's consent again
    assert page.count('aria-label="Reconnect ') == 1
    assert page.count('name="platform" value="linkedin"') == 2  # Connect, and Reconnect


@pytest.mark.django_db
def test_a_posting_time_added_on_the_calendar_is_the_next_free_slot(owner, x_and_linkedin):
    x, _ = x_and_linkedin
    client = page_client(owner)
    tomorrow = (timezone.now() + timedelta(days=1)).date()

    # when: the owner adds tomorrow 10:15 as X's posting time
    client.post(
        "/social/calendar/",
        {
            "csrf_token": CSRF,
            "action": "add_slot",
            "social_account": x.id,
            "weekday": tomorrow.weekday(),
            "time": "10:15",
        },
    )

    # then: the calendar offers it, and a post is scheduled into it by its Move form
    page = client.get("/social/calendar/").content.decode()
    assert f"{tomorrow.strftime('%a')} {tomorrow.day} {tomorrow.strftime('%b')}, 10:15 UTC" in page
    _compose(client, "next_slot", [x], "Slotted")
    post = Post.unscoped.get()
    assert post.scheduled_at.date() == tomorrow
    assert post.scheduled_at.strftime("%H:%M") == "10:15"


@pytest.mark.django_db
def test_viewer_reads_the_calendar_but_cannot_compose_or_move(owner, member_factory, fake_x):
    x = connect_twitter(owner, fake_x)
    when = timezone.now() + timedelta(days=1)
    _compose(
        page_client(owner), "schedule", [x], "Soon", scheduled_at=when.strftime("%Y-%m-%dT%H:%M")
    )
    post = Post.unscoped.get()
    viewer = page_client(member_factory(owner))

    # then
    calendar = viewer.get(f"/social/calendar/?date={when.date().isoformat()}").content.decode()
    assert f'data-post="{post.id}"' in calendar and 'draggable="true"' not in calendar
    assert viewer.get("/social/posts/new/").status_code == 403
    moved = viewer.post(
        "/social/calendar/",
        {"csrf_token": CSRF, "action": "move", "post": post.id, "scheduled_at": "2030-01-01T10:00"},
    )
    assert moved.status_code == 403


@pytest.mark.django_db
def test_a_draft_is_edited_in_the_composer(owner, x_and_linkedin):
    x, linkedin = x_and_linkedin
    client = page_client(owner)
    _compose(client, "draft", [x], "First words")
    post = Post.unscoped.get()
    form = client.get(f"/social/posts/{post.id}/edit/").content.decode()
    assert (
        "First words" in form
        and f'value="{x.id}" id="target-{x.id}" data-platform="twitter" checked' in form
    )

    # when: another account and better words
    client.post(
        f"/social/posts/{post.id}/edit/",
        {"csrf_token": CSRF, "intent": "draft", "targets": [x.id, linkedin.id], "text": "Better"},
    )

    # then
    post.refresh_from_db()
    assert post.text == "Better"
    assert PostTarget.unscoped.filter(post=post).count() == 2
