"""What the sandbox tests do as a person would: consent to a platform, post a page's form."""

import re
import time
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx
from django.conf import settings

ACCOUNTS = "/api/v1/social/accounts/"


def connect(member, base: str, platform: str) -> list[dict]:
    """Connect `platform` as a person would: consent page, Allow, back with the code."""
    started = member.client.post(ACCOUNTS, {"platform": platform}, format="json")
    assert started.status_code == 200, started.json()
    query = consent(started.json()["data"]["authorization_url"])
    done = member.client.post(f"{ACCOUNTS}connect/callback/", query, format="json")
    assert done.status_code == 201, done.json()
    return done.json()["data"]


def consent(authorization_url: str) -> dict:
    """Open a sandbox consent page, press Allow: the query the provider redirects back with."""
    page = httpx.get(authorization_url)
    assert page.status_code == 200 and "Sandbox" in page.text
    allow = unescape(re.search(r'href="([^"]+)" data-allow', page.text).group(1))
    back = httpx.get(allow, follow_redirects=False)
    assert back.status_code == 302, back.text
    return {k: v[0] for k, v in parse_qs(urlsplit(back.headers["location"]).query).items()}


class Browser:
    """Opens a sandbox page and posts its form with the page's CSRF cookie (sent by
    hand: it is Secure, which a browser honours on 127.0.0.1 and httpx does not)."""

    def __init__(self, url: str, expect: str) -> None:
        self.url = url
        page = httpx.get(url)
        assert page.status_code == 200 and expect in page.text
        self.cookie = page.cookies[settings.AUTH_COOKIE_CSRF]
        field = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        self.token = unescape(field)

    def post(self, **fields) -> httpx.Response:
        cookie = {"Cookie": f"{settings.AUTH_COOKIE_CSRF}={self.cookie}"}
        return httpx.post(self.url, data={"csrf_token": self.token, **fields}, headers=cookie)


def poll(read, until, *, seconds: float = 30):
    """`read()` again until `until(value)` holds or `seconds` pass; the last value (the
    live server's embedded worker publishes and delivers in its own time)."""
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if until(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.25)
