"""Sandbox social platforms: Flowline's real OAuth and publishing code against the sandbox
providers it serves itself, over HTTP, as on a fresh `make run`."""

import re
import time
from html import unescape
from urllib.parse import urlsplit

import httpx
import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from flowline.identity import tokens
from flowline.posts.models import PostTarget
from flowline.posts.services import publishing
from flowline.sandbox import providers
from flowline.sandbox.tests.support import ACCOUNTS, connect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def publish_now(member, accounts: list[dict], text: str, media=()) -> int:
    body = {"text": text, "targets": [a["id"] for a in accounts], "media": list(media)}
    post = member.client.post("/api/v1/social/posts/", body, format="json").json()["data"]
    scheduled = member.client.post(
        "/api/v1/social/schedules/",
        {"post": post["id"], "scheduled_at": timezone.now().isoformat()},
        format="json",
    )
    assert scheduled.status_code == 201, scheduled.json()
    return post["id"]


def settled(post_id: int) -> PostTarget:
    """The post's target once the scheduler (this test's sweep or the live server's
    embedded worker, whichever claims it) is done with it."""
    deadline = time.monotonic() + 15
    while True:
        publishing.publish_due()
        targets = list(PostTarget.unscoped.filter(post_id=post_id).order_by("id"))
        busy = any(t.status in ("scheduled", "publishing") for t in targets)
        if not busy or time.monotonic() > deadline:
            return targets[0] if len(targets) == 1 else targets
        time.sleep(0.2)


def test_status_says_sandbox_mode_is_on(sandbox, api_client):
    # when
    body = api_client.get("/api/v1/system/status/").json()

    # then
    assert body["data"]["sandbox"] is True


def test_sandbox_pages_are_not_found_outside_sandbox_mode(db, api_client, settings):
    # given
    settings.FLOWLINE_SANDBOX = False

    # then
    assert api_client.get("/sandbox/feed/").status_code == 404
    assert api_client.get("/sandbox/x/2/users/me").status_code == 404


def test_x_connects_through_the_consent_page_and_publishes_to_the_feed(sandbox, owner):
    # given: X connected through its consent page (PKCE, code exchange by the real client)
    [x] = connect(owner, sandbox, "twitter")
    assert x["platform"] == "twitter" and x["username"] == "acmestore"

    # when: a post to it is due and the scheduler runs
    target = settled(publish_now(owner, [x], "Spring sale starts today"))

    # then: it is on the sandbox feed, and the post knows its id there
    posts = httpx.get(f"{sandbox}/sandbox/feed.json").json()["posts"]
    assert [(p["platform"], p["text"]) for p in posts] == [("X", "Spring sale starts today")]
    assert target.status == "published" and target.external_id == posts[0]["id"]


def test_instagram_and_x_connected_in_the_sandbox_both_show_one_post(sandbox, owner):
    # given
    [instagram] = connect(owner, sandbox, "instagram")
    [x] = connect(owner, sandbox, "twitter")
    image = {"url": f"{sandbox}/sandbox/graph/media/sale.png", "type": "image"}

    # when
    targets = settled(publish_now(owner, [instagram, x], "Summer sale", media=[image]))

    # then
    assert [t.status for t in targets] == ["published", "published"]
    posts = httpx.get(f"{sandbox}/sandbox/feed.json").json()["posts"]
    assert sorted(p["platform"] for p in posts) == ["Facebook & Instagram", "X"]
    assert all(p["text"] == "Summer sale" for p in posts)
    # and each shows its image: X's as uploaded to it, Instagram's by its URL
    for post in posts:
        [shown] = post["media"]
        answer = httpx.get(shown)
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
    [x_image] = [p["media"][0] for p in posts if p["provider"] == "x"]
    uploaded = providers.get("x").media[x_image.rsplit("/", 1)[-1]]
    assert uploaded["data"] and uploaded["data"] == httpx.get(x_image).content


def test_a_rate_limit_made_on_the_feed_holds_the_post_back_to_retry(sandbox, owner):
    # given
    [x] = connect(owner, sandbox, "twitter")
    broken = httpx.post(f"{sandbox}/sandbox/control/x/", json={"fail_next": "rate_limit"})
    assert broken.status_code == 200

    # when
    target = settled(publish_now(owner, [x], "After the limit"))

    # then: the platform said 429, nothing is on the feed, the target waits to retry
    assert target.status == "retrying"
    assert httpx.get(f"{sandbox}/sandbox/feed.json").json()["posts"] == []


def test_expired_access_tokens_are_refreshed_before_publishing(sandbox, owner):
    # given
    [x] = connect(owner, sandbox, "twitter")
    httpx.post(f"{sandbox}/sandbox/control/x/", json={"fail_next": "expire_tokens"})

    # when
    target = settled(publish_now(owner, [x], "Fresh token"))

    # then
    assert target.status == "published"


def test_an_unknown_failure_is_refused_by_the_control(sandbox):
    answer = httpx.post(f"{sandbox}/sandbox/control/x/", json={"fail_next": "meteor"})
    assert answer.status_code == 400


def test_cancelling_on_the_consent_page_connects_nothing(sandbox, owner):
    # given
    started = owner.client.post(ACCOUNTS, {"platform": "twitter"}, format="json").json()
    consent = httpx.get(started["data"]["authorization_url"]).text
    deny = unescape(re.search(r'href="([^"]+)" data-deny', consent).group(1))

    # when
    client = Client()
    pair = tokens.issue_pair(user=owner.user, account_id=owner.account_id)
    client.cookies["access_token"] = pair["access"]
    page = client.get(urlsplit(deny).path + "?" + urlsplit(deny).query)

    # then
    assert page.status_code == 200 and b"cancelled" in page.content
    assert owner.client.get(ACCOUNTS).json()["count"] == 0


@pytest.mark.browser
def test_owner_connects_x_in_the_browser_and_sees_the_post_on_the_sandbox_feed(
    console, sandbox, owner
):
    page = console.page
    console.sign_in(owner)
    # given: the owner connects X from the console, through the sandbox consent page
    console.go("/social/accounts/")
    page.get_by_role("button", name="Connect X (Twitter)").click()
    expect(page.get_by_role("heading", name="Sign in to X")).to_be_visible()
    console.shot("sandbox-x-consent")
    page.get_by_role("link", name="Allow").click()
    expect(page.get_by_role("alert")).to_contain_text("1 account(s) connected")
    expect(page.locator("tr[data-account=twitter]")).to_contain_text("acmestore")
    console.shot("sandbox-x-connected")

    # when: a post to it goes out
    accounts = owner.client.get(ACCOUNTS).json()["results"]
    settled(publish_now(owner, accounts, "Hello from the sandbox"))

    # then: it shows on the sandbox feed
    page.get_by_role("link", name="Sandbox feed").click()
    expect(page.locator("article[data-post=x]")).to_contain_text("Hello from the sandbox")
    console.shot("sandbox-feed")
