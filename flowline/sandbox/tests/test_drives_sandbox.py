"""The sandbox drives: connected through their OAuth (PKCE) by the real client, each with a
folder of sample files (CSV, XLSX, PDF) to browse and pick."""

import re
from html import unescape

import httpx
import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from flowline.agents.tests.factories import AgentProcessFactory
from flowline.drives.models import CloudConnection
from flowline.identity import tokens
from flowline.sandbox.tests.support import consent

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
API = "/api/v1"
CSRF = "csrf-test-token"


@pytest.mark.parametrize(
    ("provider", "files"),
    [("google_drive", "drive/files/"), ("onedrive", "drive/microsoft/files/")],
)
def test_a_sandbox_drive_connects_and_holds_the_sample_files(sandbox, owner, provider, files):
    # given: the drive's consent page, allowed (back to the API's callback with a code)
    started = owner.client.post(f"{API}/drive/connect/{provider}/init/")
    assert started.status_code == 200, started.json()
    query = consent(started.json()["data"]["authorization_url"])

    # when
    done = owner.client.post(f"{API}/drive/connect/callback/", query, format="json")

    # then: the sample folder and its files are there to browse
    assert done.status_code == 201, done.json()
    root = owner.client.get(f"{API}/{files}").json()
    [folder] = [f for f in _items(root) if f["name"] == "Flowline sandbox samples"]
    inside = owner.client.get(f"{API}/{files}", {"folder_id": folder["id"]}).json()
    names = sorted(f["name"] for f in _items(inside))
    assert names == ["leads.csv", "leads.xlsx", "price-list.pdf"]


def _items(answer: dict) -> list[dict]:
    data = answer.get("data", answer)
    if isinstance(data, dict):
        return data.get("files") or data.get("results") or data.get("items") or []
    return answer.get("results") or data


def test_cancelling_on_the_drive_consent_page_connects_nothing(sandbox, owner):
    # given
    started = owner.client.post(f"{API}/drive/connect/google_drive/init/").json()["data"]
    page = httpx.get(started["authorization_url"])
    assert "drive.owner@example.com" in page.text

    # then: Cancel goes back to Flowline's own callback, saying access was denied
    deny = re.search(r'href="([^"]+)" data-deny', page.text).group(1)
    assert unescape(deny).startswith(f"{sandbox}/drives/connected/?error=access_denied")


def _console(member) -> Client:
    """A browser signed in to the console: the session cookies logging in sets."""
    client = Client()
    pair = tokens.issue_pair(user=member.user, account_id=member.account_id)
    client.cookies[settings.AUTH_COOKIE_ACCESS] = pair["access"]
    client.cookies[settings.AUTH_COOKIE_CSRF] = CSRF
    return client


def _link(page, marker: str) -> str:
    return unescape(re.search(rf'href="([^"]+)" {marker}', page.content.decode()).group(1))


def test_cancel_on_the_drive_consent_page_returns_to_the_console_saying_so(sandbox, owner):
    # given: a member starts connecting Google Drive from an agent's page
    process = AgentProcessFactory(account=owner.account)
    browser, here = _console(owner), f"/agents/{process.id}/"
    connect = {"csrf_token": CSRF, "action": "connect_drive", "platform": "google_drive"}
    started = browser.post(here, connect)
    assert started.status_code == 302
    consent = browser.get(started["Location"])
    assert b"Sign in to Google Drive" in consent.content

    # when: they press Cancel (the provider sends error=access_denied back)
    back = browser.get(_link(consent, "data-deny"))

    # then: back on the agent's page, told it was cancelled, nothing connected
    assert back.status_code == 302, back.content
    assert back["Location"] == f"{here}?drive=google_drive#agent-sources"
    shown = browser.get(back["Location"]).content.decode()
    assert "Connecting Google Drive was cancelled. Nothing was connected." in shown
    assert "Google Drive is not connected." in shown
    assert not CloudConnection.unscoped.filter(user=owner.user).exists()

    # and when: they try again and allow, the drive's sample folder is there
    again = browser.get(browser.post(here, connect)["Location"])
    code = browser.get(_link(again, "data-allow"))  # the provider's authorize endpoint
    done = browser.get(code["Location"])
    assert done["Location"] == f"{here}?drive=google_drive#agent-sources"
    shown = browser.get(done["Location"]).content.decode()
    assert "Google Drive connected as drive.owner@example.com." in shown
    assert "Flowline sandbox samples" in shown


@pytest.mark.browser
def test_in_the_browser_cancel_then_allow_on_the_drive_consent_page(console, sandbox, owner):
    # given: the owner on an agent's page, Google Drive not connected
    process = AgentProcessFactory(account=owner.account)
    page = console.page
    console.sign_in(owner)
    console.go(f"/agents/{process.id}/?drive=google_drive")

    # when: they press Connect, then Cancel on the consent page
    page.get_by_role("button", name="Connect Google Drive").click()
    expect(page.get_by_role("heading", name="Sign in to Google Drive")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()

    # then: back on the agent's page, told so, the Connect button offered again
    expect(page.get_by_role("status")).to_contain_text("Connecting Google Drive was cancelled.")
    assert page.url.endswith(f"/agents/{process.id}/?drive=google_drive#agent-sources")
    expect(page.locator("#agent-drive")).to_contain_text("Google Drive is not connected.")
    console.shot("drive-consent-cancelled")

    # and when: they connect and allow, the sample folder is listed
    page.get_by_role("button", name="Connect Google Drive").click()
    page.get_by_role("link", name="Allow").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Google Drive connected as drive.owner@example.com."
    )
    expect(page.locator("#agent-drive")).to_contain_text("Flowline sandbox samples")
