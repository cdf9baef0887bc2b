"""The sandbox drives: connected through their OAuth (PKCE) by the real client, each with a
folder of sample files (CSV, XLSX, PDF) to browse and pick."""

import re
from html import unescape

import httpx
import pytest

from flowline.sandbox.tests.support import consent

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
API = "/api/v1"


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
    assert unescape(deny).startswith(
        f"{sandbox}/api/v1/drive/connect/callback/?error=access_denied"
    )
