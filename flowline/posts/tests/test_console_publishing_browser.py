"""Social publishing in real Chromium against a live Flowline in sandbox mode: connect
sandbox accounts, compose a post for two platforms, one of which refuses it, see why,
retry only that one and find it on the sandbox feed; schedule a post and move it on the
calendar, by dragging and by keyboard."""

import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import expect

from flowline.posts.models import Post, PostTarget
from flowline.posts.services import publishing
from flowline.sandbox.tests.support import connect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run_scheduler(post_id: int) -> None:
    """Sweep as the beat does until none of the post's targets waits or is in flight
    (this test's sweep or the live server's embedded worker, whichever claims them)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        publishing.publish_due()
        states = PostTarget.unscoped.filter(post_id=post_id).values_list("status", flat=True)
        if not {"scheduled", "publishing"} & set(states):
            return
        time.sleep(0.2)
    raise AssertionError(f"the scheduler did not settle post {post_id}")


def connect_in_browser(console, button: str) -> None:
    console.page.get_by_role("button", name=button).click()
    console.page.get_by_role("link", name="Allow").click()
    expect(console.page.get_by_role("alert")).to_contain_text("account(s) connected")


def test_owner_posts_to_two_platforms_sees_one_refused_and_retries_only_it(console, sandbox, owner):
    page = console.page
    console.sign_in(owner)

    # given: X and LinkedIn connected through their sandbox consent pages
    console.go("/social/accounts/")
    connect_in_browser(console, "Connect X (Twitter)")
    connect_in_browser(console, "Connect LinkedIn")
    expect(page.locator("tr[data-account=linkedin]")).to_contain_text("Healthy")
    expect(page.locator("tr[data-account=twitter]")).to_contain_text("Healthy")
    console.shot("social-accounts")

    # and: LinkedIn will refuse the next post (the sandbox feed's control)
    page.get_by_role("link", name="Sandbox feed").click()
    page.get_by_label("Platform").select_option("linkedin")
    page.get_by_label("Failure").select_option("content_rejected")
    page.get_by_role("button", name="Break next call").click()

    # when: the owner composes one post for both; X's own text is checked as it is typed
    console.go("/social/posts/new/")
    for box in page.locator("input[name=targets]").all():
        box.check()
    page.get_by_label("Text", exact=True).fill("Our spring collection is live.")
    # AI help writes each platform's own text (the built-in offline model here)
    page.get_by_role("button", name="Write with AI").click()
    expect(page.locator("#ai-status")).to_contain_text("Written for linkedin, twitter")
    expect(page.get_by_label("Own text for LinkedIn")).not_to_have_value("")
    page.get_by_label("Own text for LinkedIn").fill("")
    x_text = page.get_by_label("Own text for X (Twitter)")
    x_text.fill("Spring is live! " + "x" * 280)
    twitter = page.locator('[data-problems="twitter"]')
    expect(twitter).to_contain_text("twitter allows 280")
    expect(page.locator('[data-preview-state="twitter"]')).to_have_text("Not accepted yet")
    page.evaluate("window.scrollTo(0, 0)")
    console.shot("social-composer-rules")
    x_text.fill("Spring is live! #spring")
    expect(twitter).to_be_empty()
    expect(page.locator('[data-preview="twitter"] .preview-text')).to_have_text(
        "Spring is live! #spring"
    )
    expect(page.locator('[data-preview="linkedin"] .preview-text')).to_have_text(
        "Our spring collection is live."
    )
    page.evaluate("window.scrollTo(0, 0)")
    console.shot("social-composer")
    page.get_by_role("button", name="Post now").click()
    expect(page.get_by_role("status").filter(has_text="Posting now.")).to_be_visible()
    post = Post.unscoped.get()

    # then: X is published with its link, LinkedIn failed with the platform's reason (live)
    run_scheduler(post.id)
    linkedin = page.locator("[data-target][data-platform=linkedin]")
    x = page.locator("[data-target][data-platform=twitter]")
    expect(linkedin).to_have_attribute("data-status", "failed")
    expect(linkedin.locator(".target-error")).not_to_be_empty()
    expect(x).to_have_attribute("data-status", "published")
    expect(x.get_by_role("link", name="View on X (Twitter)")).to_be_visible()
    reason = PostTarget.unscoped.get(post=post, platform="linkedin").error
    expect(linkedin).to_contain_text(reason)
    console.shot("social-post-failed")

    # when: only the failed target is retried
    page.get_by_role("button", name="Retry the failed target").click()
    expect(page.get_by_role("status").filter(has_text="1 targets queued again.")).to_be_visible()
    run_scheduler(post.id)

    # then: LinkedIn is published too, X was not sent again
    expect(linkedin).to_have_attribute("data-status", "published")
    expect(page.get_by_role("button", name="Retry the failed target")).to_have_count(0)
    console.shot("social-post-retried")
    x_target = PostTarget.unscoped.get(post=post, platform="twitter")
    assert x_target.attempts == 1

    # and: the sandbox feed shows the post once on each platform
    console.go("/sandbox/feed/")
    expect(page.locator("article[data-post=linkedin]")).to_contain_text(
        "Our spring collection is live."
    )
    expect(page.locator("article[data-post=x]")).to_have_count(1)
    expect(page.locator("article[data-post=x]")).to_contain_text("Spring is live! #spring")
    console.shot("social-sandbox-feed")
    posts = httpx.get(f"{sandbox}/sandbox/feed.json").json()["posts"]
    assert sorted(p["provider"] for p in posts) == ["linkedin", "x"]


def test_editor_schedules_a_post_and_moves_it_on_the_calendar(console, sandbox, owner):
    page = console.page
    console.sign_in(owner)
    connect(owner, sandbox, "twitter")
    when = (datetime.now(UTC) + timedelta(days=3)).replace(hour=9, minute=30, second=0)
    when = when.replace(microsecond=0)

    # given: a post scheduled from the composer
    console.go("/social/posts/new/")
    page.locator("input[name=targets]").first.check()
    page.get_by_label("Title").fill("Spring teaser")
    page.get_by_label("Text", exact=True).fill("Something is coming on Friday.")
    page.get_by_label("Time (UTC)").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Scheduled.")).to_be_visible()
    post = Post.unscoped.get()
    assert post.scheduled_at == when

    # when: it is dragged to the next day on the month view
    console.go(f"/social/calendar/?date={when.date().isoformat()}")
    chip = page.locator(f'.calendar-post[data-post="{post.id}"]')
    expect(page.locator(f'[data-day="{when.date().isoformat()}"]')).to_contain_text("Spring teaser")
    expect(page.locator("#next-free-slot")).to_be_visible()
    next_day = when + timedelta(days=1)
    console.shot("social-calendar-month")
    chip.drag_to(page.locator(f'[data-day="{next_day.date().isoformat()}"]'))

    # then: it is there, at the same time
    expect(page.get_by_role("status").filter(has_text="Moved to")).to_be_visible()
    moved = page.locator(f'[data-day="{next_day.date().isoformat()}"] [data-post="{post.id}"]')
    expect(moved).to_contain_text("09:30")
    post.refresh_from_db()
    assert post.scheduled_at == next_day

    # when: by keyboard, its Move form takes it to another time on the week view
    console.go(f"/social/calendar/?view=week&date={next_day.date().isoformat()}")
    summary = page.locator(f'[data-post="{post.id}"] summary')
    summary.focus()
    page.keyboard.press("Enter")
    later = next_day + timedelta(hours=5)
    page.get_by_label("New time (UTC)").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("New time (UTC)").press("Enter")

    # then
    expect(page.get_by_role("status").filter(has_text="Moved to")).to_be_visible()
    expect(page.locator(f'[data-post="{post.id}"] .calendar-time')).to_have_text("14:30")
    console.shot("social-calendar-week")
    post.refresh_from_db()
    assert post.scheduled_at == later


def test_owner_approves_from_the_queue_and_gathers_posts_in_a_campaign(console, sandbox, owner):
    page = console.page
    console.sign_in(owner)
    connect(owner, sandbox, "twitter")

    # given: a post that needs approval, submitted from the composer
    console.go("/social/posts/new/")
    page.locator("input[name=targets]").first.check()
    page.get_by_label("Title").fill("Summer sale")
    page.get_by_label("Text", exact=True).fill("Everything 20% off this weekend.")
    page.get_by_label("Needs approval before it goes out").check()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("status").filter(has_text="Submitted for approval.")).to_be_visible()

    # when: the reviewer approves it from the queue
    page.get_by_role("link", name="Approvals").click()
    card = page.locator("[data-pending]").filter(has_text="Summer sale")
    expect(card).to_be_visible()
    console.shot("social-approvals")
    card.get_by_label("Note to the author").fill("Good to go")
    card.get_by_role("button", name="Approve").click()

    # then
    expect(page.get_by_role("status").filter(has_text="Approved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Nothing waiting for approval")).to_be_visible()

    # when: a CSV brings two more posts, one of them too long for X
    console.go("/social/posts/import/")
    rows = "title,text,platforms\nTeaser,See you Friday,twitter\nToo long," + "x" * 300
    page.get_by_label("CSV file").set_input_files(
        {"name": "posts.csv", "mimeType": "text/csv", "buffer": (rows + ",twitter\n").encode()}
    )
    page.get_by_role("button", name="Import").click()

    # then: the good row is in, the bad one is listed with its line and reason
    expect(page.get_by_role("alert").filter(has_text="1 posts imported.")).to_be_visible()
    expect(page.locator("#import-errors")).to_contain_text("twitter allows 280")
    expect(page.locator("#import-errors tbody tr td").first).to_have_text("3")
    console.shot("social-import")

    # when: a campaign gathers both posts
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="New campaign").first.click()
    page.get_by_label("Name").fill("Summer")
    page.get_by_label("Goal").fill("Clear the spring stock")
    page.get_by_label("Starts (UTC)").fill(datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"))
    ends = datetime.now(UTC) + timedelta(days=14)
    page.get_by_label("Ends (UTC)").fill(ends.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Create campaign").click()
    page.get_by_label("Attach posts").select_option(label="Summer sale (approved)")
    page.get_by_role("button", name="Attach").first.click()

    # then: the post is attached and the combined metrics are shown
    expect(page.locator("#campaign-posts")).to_contain_text("Summer sale")
    expect(page.locator("#campaign-metrics")).to_contain_text("Posts published")
    console.shot("social-campaign")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Complete").click()
    expect(page.get_by_role("status").filter(has_text="Campaign completed.")).to_be_visible()
