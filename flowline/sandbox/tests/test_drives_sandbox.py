"""The sandbox drives: connected through their OAuth (PKCE) by the real client, each with a
folder of sample files (CSV, XLSX, PDF) to browse and pick."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
API = "/api/v1"


@pytest.mark.parametrize(
    ("provider", "files"),
    [("google_drive", "drive/files/"), ("onedrive", "drive/microsoft/files/")],
)
def test_a_sandbox_drive_connects_and_holds_the_sample_files(sandbox, owner, provider, files):
    # given: the consent URL, followed as a browser would (straight back with a code)
    started = owner.client.post(f"{API}/drive/connect/{provider}/init/")
    assert started.status_code == 200, started.json()
    back = httpx.get(started.json()["data"]["authorization_url"], follow_redirects=False)
    assert back.status_code == 302
    assert back.headers["location"].startswith(f"{sandbox}/api/v1/drive/connect/callback/")
    query = {k: v[0] for k, v in parse_qs(urlsplit(back.headers["location"]).query).items()}

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
