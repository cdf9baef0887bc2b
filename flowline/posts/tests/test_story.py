"""Issue 5's story over HTTP: a marketer signs in through the (local) OpenID Connect
provider, connects X and LinkedIn through their OAuth pages, writes a post with a variant
per platform and schedules it; the scheduler publishes it once on both, riding out a rate
limit on X; a post LinkedIn refuses ends failed, with the author notified and the
`post.failed` webhook queued, and goes out after the fix with a retry of that target only.
"""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.utils import timezone

from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.posts.services import publishing
from flowline.sandbox.oidc.oidc_provider import (
    ProviderUser,
    local_oidc_provider,
    social_sign_in,
)

API = "/api/v1"
EMAIL = "marketer@example.com"


def _connect(client, platform: str) -> dict:
    """Connect a platform the way the frontend does: init, the platform's consent page,
    the callback."""
    init = client.post(f"{API}/social/accounts/", {"platform": platform}, format="json")
    assert init.status_code == 200, init.content
    consent = httpx.get(init.json()["data"]["authorization_url"], follow_redirects=False)
    assert consent.status_code == 302, consent.text
    back = {k: v[0] for k, v in parse_qs(urlsplit(consent.headers["Location"]).query).items()}
    done = client.post(f"{API}/social/accounts/connect/callback/", back, format="json")
    assert done.status_code == 201, done.content
    [account] = done.json()["data"]
    return account


def _targets(client, post_id: int) -> dict[str, dict]:
    data = client.get(f"{API}/social/posts/{post_id}/").json()["data"]
    return {t["platform"]: t for t in data["targets"]} | {"_status": data["status"]}


@pytest.mark.django_db
def test_issue_5_story_schedule_publish_retry_and_failure(settings, fake_x, fake_linkedin):
    with local_oidc_provider(users=[ProviderUser(EMAIL, given_name="Mia")]) as provider:
        provider.configure(settings)
        # 1. sign in with the OpenID Connect provider: a new user owning a new account
        signed_in = social_sign_in(APIClient(), provider, "google", email=EMAIL)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {signed_in['tokens']['access']}")
    me = client.get(f"{API}/auth/me/").json()["data"]
    assert me["email"] == EMAIL and me["role"] == "owner"

    # 2. connect X and LinkedIn through their OAuth pages
    x = _connect(client, "twitter")
    linkedin = _connect(client, "linkedin")
    hook = client.post(
        f"{API}/webhooks/endpoints/",
        {"url": "https://hooks.example.com/flowline", "event_types": ["post.failed"]},
        format="json",
    )
    assert hook.status_code == 201, hook.content

    # 3. a post with its own text for X, checked against each platform's rules
    too_long = {"text": "x" * 300, "targets": [x["id"], linkedin["id"]]}
    refused = client.post(f"{API}/social/posts/", too_long, format="json")
    assert refused.status_code == 400 and "twitter" in refused.json()["errors"]["variants"]
    body = {
        "title": "Spring launch",
        "text": "Our spring collection is live: linen shirts, light jackets and more.",
        "link": "https://shop.example.com/spring",
        "targets": [x["id"], linkedin["id"]],
        "variants": {"twitter": {"text": "Spring is live! 🌱 #spring"}},
    }
    created = client.post(f"{API}/social/posts/", body, format="json")
    assert created.status_code == 201, created.content
    post_id = created.json()["data"]["id"]

    # 4. scheduled for now; it shows on today's calendar
    now = timezone.now()
    scheduled = client.post(
        f"{API}/social/schedules/",
        {"post": post_id, "scheduled_at": now.isoformat()},
        format="json",
    )
    assert scheduled.status_code == 201 and scheduled.json()["data"]["status"] == "scheduled"
    calendar = client.get(
        f"{API}/social/schedules/calendar/",
        {
            "start": (now - timedelta(hours=1)).isoformat(),
            "end": (now + timedelta(hours=1)).isoformat(),
        },
    ).json()["data"]
    assert [p["id"] for day in calendar["days"] for p in day["posts"]] == [post_id]

    # 5. the scheduler runs; X is rate limiting right now, LinkedIn takes it
    fake_x.fail_next("rate_limit", retry_after=20)
    publishing.publish_due()
    state = _targets(client, post_id)
    assert state["linkedin"]["status"] == "published" and state["twitter"]["status"] == "retrying"
    assert state["_status"] == "publishing"
    publishing.publish_due()  # a sweep during the pause does nothing
    # ... and once the rate limit is over, X gets it
    publishing.publish_due(now=timezone.now() + timedelta(seconds=60))
    state = _targets(client, post_id)
    assert state["_status"] == "published"
    assert state["twitter"]["external_id"] and state["twitter"]["url"]
    # exactly once on each platform, with each platform's content
    assert [p["text"] for p in fake_x.posts] == ["Spring is live! 🌱 #spring"]
    assert len(fake_linkedin.posts) == 1
    assert fake_linkedin.posts[0]["text"].startswith("Our spring collection is live")

    # 6. a second post LinkedIn refuses: failed at once, the author told, webhook queued
    second = client.post(
        f"{API}/social/posts/",
        {"text": "Summer preview", "targets": [x["id"], linkedin["id"]]},
        format="json",
    ).json()["data"]["id"]
    client.post(
        f"{API}/social/schedules/",
        {"post": second, "scheduled_at": timezone.now().isoformat()},
        format="json",
    )
    fake_linkedin.fail_next("content_rejected")
    publishing.publish_due(now=timezone.now() + timedelta(seconds=60))  # X's pause is over
    state = _targets(client, second)
    assert state["linkedin"]["status"] == "failed" and state["linkedin"]["error"]
    assert state["_status"] == "partially_published"
    notes = client.get(f"{API}/notifications/").json()["results"]
    assert any(n["notification_type"] == "post_failed" for n in notes)
    deliveries = client.get(f"{API}/webhooks/deliveries/").json()["results"]
    assert [d["event_type"] for d in deliveries] == ["post.failed"]

    # 7. retried: only LinkedIn goes again
    retried = client.post(f"{API}/social/posts/{second}/retry/", {}, format="json")
    assert retried.json()["data"]["retried_count"] == 1
    publishing.publish_due()
    assert _targets(client, second)["_status"] == "published"
    assert sorted(p["text"] for p in fake_x.posts) == [
        "Spring is live! 🌱 #spring",
        "Summer preview",
    ]
    assert len(fake_linkedin.posts) == 2
