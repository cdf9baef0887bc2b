"""Issue #5, social accounts, as a client sees it: an owner connects X and a Facebook page,
X later refuses the token, the beat marks the account and the owner is told once, the owner
reconnects and the same account (with its id and history) is active again."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.utils import timezone

from flowline.social import tasks
from flowline.social.models import SocialAccount

API = "/api/v1"


def _connect(client, platform: str) -> list[dict]:
    init = client.post(f"{API}/social/accounts/", {"platform": platform}, format="json")
    location = httpx.get(init.json()["data"]["authorization_url"], timeout=5).headers["Location"]
    returned = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    done = client.post(f"{API}/social/accounts/connect/callback/", returned, format="json")
    assert done.status_code == 201, done.content
    return done.json()["data"]


@pytest.mark.django_db
def test_connect_lose_and_reconnect_an_account(owner, fake_x, fake_graph):
    client = owner.client

    # 1. connect X and the Facebook page
    [x] = _connect(client, "twitter")
    [page] = _connect(client, "facebook")
    listed = client.get(f"{API}/social/accounts/").json()["results"]
    assert {(a["platform"], a["status"]) for a in listed} == {
        ("twitter", "active"),
        ("facebook", "active"),
    }

    # 2. the user removes the app on X; the token is near its end, so the beat refreshes
    fake_x.revoke_all()
    SocialAccount.unscoped.filter(pk=x["id"]).update(
        token_expires_at=timezone.now() + timedelta(minutes=5)
    )
    tasks.refresh_tokens()
    tasks.refresh_tokens()

    # 3. the account says so, and the owner got one notice
    detail = client.get(f"{API}/social/accounts/{x['id']}/").json()["data"]
    assert detail["status"] == "expired" and detail["needs_reconnect"]
    notices = client.get(f"{API}/notifications/").json()["results"]
    reconnect = [n for n in notices if n["notification_type"] == "social_account_reconnect"]
    assert len(reconnect) == 1 and "X (Twitter)" in reconnect[0]["title"]

    # 4. the Facebook page was not touched
    assert client.get(f"{API}/social/accounts/{page['id']}/").json()["data"]["status"] == "active"

    # 5. reconnecting brings the same account back
    [again] = _connect(client, "twitter")
    assert again["id"] == x["id"] and again["status"] == "active"
    assert not again["needs_reconnect"]
    assert client.get(f"{API}/social/accounts/").json()["count"] == 2
