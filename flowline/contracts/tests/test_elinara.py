"""Elinara Lab (seed 004) as its frontend calls Flowline: VITE_API_BASE_URL = /api/elinara,
VITE_AGENT_BASE_URL = /api, HttpOnly cookies from logging in by username, the
`csrf_access_token` cookie echoed in X-CSRF-Token on writes, raw objects back.
One row per line of the seed's §3 tables, in its order."""

import pytest

from flowline.agents.models import AgentProcess
from flowline.agents.tests.factories import AgentProcessFactory, DataSourceFactory
from flowline.ai.tests.factories import AIModelFactory
from flowline.contracts.tests.table import Row, call, check, params
from flowline.core.roles import Role
from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.drives.testing.fixtures import (
    connect_google_drive,
    connect_onedrive,
    fake_google_drive,  # noqa: F401
    fake_onedrive,  # noqa: F401
)
from flowline.identity.testing.fixtures import oidc_provider  # noqa: F401
from flowline.jobs.tests.factories import AgentJobFactory

pytestmark = pytest.mark.django_db

API = "/api/elinara"  # VITE_API_BASE_URL
AGENT = "/api"  # VITE_AGENT_BASE_URL
DATASOURCE_KEYS = ("id", "process_id", "platform", "resource_identifier", "resource_name", "config")
AGENT_TASK_KEYS = ("id", "status", "progress", "filename", "phone", "created_at")
PROCESS_KEYS = ("id", "name", "status")


def _process_body(world):
    return {"name": "Lisbon yoga leads"}  # 004's process names no agent


def _datasource_body(world):
    return {
        "process_id": world["process"],
        "platform": "google_drive",
        "resource_identifier": "folder-1",
        "resource_name": "Friendly Name",
        "config": [],
    }


API_ROWS = [
    # 3.1 Authentication Services
    Row(
        "POST",
        "/auth/login",
        lambda w: {"username": w["username"], "password": w["password"]},
        keys=("user",),
        bare=True,
    ),
    Row("POST", "/auth/logout", bare=True),
    Row("POST", "/auth/disconnect/{provider}", status=404),  # nothing connected: a clean 404
    Row(
        "POST",
        "/user/register",
        {"username": "new.user@example.com", "password": "Brand-New-Pass-77"},
        status=201,
        bare=True,
    ),
    Row("GET", "/auth2/github/signin", status=302),
    Row("POST", "/auth2/github/logout", bare=True),
    Row("GET", "/auth2/microsoft/login", status=302),
    # 3.2 User Management
    Row("GET", "/admin/user", keys=("id", "email"), bare=True),
    Row(
        "POST",
        "/user/dao",
        {"username": "dao.user@example.com", "password": "Brand-New-Pass-78"},
        status=201,
        bare=True,
    ),
    Row("GET", "/user/dao/{member}", keys=("id", "email"), bare=True),
    Row("PUT", "/user/dao/{member}", {"role": "viewer"}, keys=("id", "email", "role"), bare=True),
    Row("DELETE", "/user/dao/{member}", keys=("message",), bare=True),
    Row("GET", "/user/export"),
    Row("GET", "/user/manager", keys=("id", "email"), at="item", bare=True),
    # 3.3 Cloud Storage
    Row("GET", "/drive/files", bare=True),
    Row("GET", "/drive/file/{google_file}", keys=("id", "name"), bare=True),
    Row("GET", "/drive/microsoft/files", bare=True),
    Row("GET", "/drive/microsoft/file/{onedrive_file}", keys=("id", "name"), bare=True),
    Row("GET", "/cloud/files", bare=True),
    Row("GET", "/cloud-files", bare=True),
    Row(
        "POST",
        "/cloud-files",
        lambda w: {"files": [{"provider": "google_drive", "file_id": w["google_file"]}]},
        status=201,
        bare=True,
    ),
    # 3.5 Processes
    Row("GET", "/admin/processes", keys=PROCESS_KEYS, at="item", bare=True),
    Row("POST", "/admin/processes", _process_body, keys=PROCESS_KEYS, status=201, bare=True),
    Row("GET", "/admin/processes/{process}", keys=PROCESS_KEYS, bare=True),
    Row("PUT", "/admin/processes/{process}", _process_body, keys=PROCESS_KEYS, bare=True),
    Row("DELETE", "/admin/processes/{process}", keys=("message",), bare=True),
]

AGENT_ROWS = [
    # 3.4 Agent Management
    Row(
        "GET",
        "/agent/status",
        query={"agent_id": "{process}"},
        keys=("agent_id", "status"),
        bare=True,
    ),
    Row(
        "POST",
        "/agent/control",
        lambda w: {"action": "pause", "agent_id": str(w["process"]), "execution_mode": "manual"},
        keys=PROCESS_KEYS,
        bare=True,
    ),
    Row(
        "POST",
        "/agent/config",
        lambda w: {"agent_id": str(w["process"]), "model": w["model"]},
        keys=("agent_id",),
        bare=True,
    ),
    Row(
        "POST",
        "/agent/task",
        lambda w: {"agent_id": str(w["process"])},
        keys=("task_id",),
        status=201,
        bare=True,
    ),
    Row("GET", "/agent/task/{task}", keys=AGENT_TASK_KEYS, bare=True),
    Row("GET", "/agent/matches", query={"agent_id": "{process}"}, bare=True),
    # 3.5 Configuration
    Row("GET", "/config/update", query={"agent_id": "{process}"}, keys=PROCESS_KEYS, bare=True),
    Row(
        "POST",
        "/config/update",
        lambda w: {"agent_id": str(w["process"]), "notification_emails": ["ops@example.com"]},
        keys=PROCESS_KEYS,
        bare=True,
    ),
    Row("GET", "/config/connection-emails", query={"agent_id": "{process}"}, bare=True),
    Row(
        "POST",
        "/config/connection-emails",
        lambda w: {"agent_id": str(w["process"]), "emails": ["ops@example.com"]},
        bare=True,
    ),
    # 3.5 DataSources
    Row(
        "GET",
        "/datasources",
        query={"process_id": "{process}"},
        keys=DATASOURCE_KEYS,
        at="item",
        bare=True,
    ),
    Row("GET", "/user/datasources", keys=DATASOURCE_KEYS, at="item", bare=True),
    Row("POST", "/datasources", _datasource_body, keys=DATASOURCE_KEYS, status=201, bare=True),
    Row(
        "POST",
        "/datasources",
        lambda w: [_datasource_body(w), _datasource_body(w)],
        keys=DATASOURCE_KEYS,
        status=201,
        at="item",
        bare=True,
    ),
    Row("GET", "/datasources/{datasource}", keys=DATASOURCE_KEYS, bare=True),
    Row("PUT", "/datasources/{datasource}", _datasource_body, keys=DATASOURCE_KEYS, bare=True),
    Row("DELETE", "/datasources/{datasource}", keys=("message",), bare=True),
    Row(
        "DELETE",
        "/datasources",
        lambda w: {"ids": [w["datasource"]]},
        keys=("deleted_count",),
        bare=True,
    ),
]


def elinara_browser(owner) -> APIClient:
    """The frontend after its login screen: cookies set by `POST /auth/login` by username."""
    browser = APIClient()
    response = browser.post(
        f"{API}/auth/login",
        {"username": owner.user.email, "password": owner.password},
        format="json",
    )
    assert response.status_code == 200, response.content
    return browser


def _csrf(browser, method: str) -> dict:
    if method in ("GET", "HEAD", "OPTIONS"):
        return {}
    return {"HTTP_X_CSRF_TOKEN": browser.cookies["csrf_access_token"].value}


@pytest.fixture
def world(owner, member_factory, fake_google_drive, fake_onedrive, oidc_provider):  # noqa: F811
    process = AgentProcessFactory(account=owner.account)
    connect_google_drive(owner, fake_google_drive)
    connect_onedrive(owner, fake_onedrive)
    editor = member_factory(owner, Role.EDITOR)
    return {
        "username": owner.user.email,
        "password": owner.password,
        "provider": "google",
        "member": editor.user.id,
        "agent": process.agent_id,
        "process": process.id,
        "model": AIModelFactory(account=owner.account).id,
        "datasource": DataSourceFactory(
            account=owner.account, process=process, owner=owner.user
        ).id,
        "task": str(AgentJobFactory(account=owner.account, payload={"filename": "Leads.xlsx"}).id),
        "google_file": fake_google_drive.add_file("Leads.xlsx", b"a,b\n1,2\n", "text/csv"),
        "onedrive_file": fake_onedrive.add_file("Leads.csv", b"a,b\n1,2\n", "text/csv"),
    }


@pytest.mark.parametrize("row", params(API_ROWS))
def test_main_api_endpoint_answers_as_documented(row, owner, world):
    # given: the frontend signed in by username, cookies only
    browser = elinara_browser(owner)
    # when: it calls the documented path, no trailing slash
    response = call(browser, row, API, world, **_csrf(browser, row.method))
    # then: the documented status and raw object, never a redirect to a slashed path
    check(response, row)


@pytest.mark.parametrize("row", params(AGENT_ROWS))
def test_agent_service_endpoint_answers_as_documented(row, owner, world):
    browser = elinara_browser(owner)
    response = call(browser, row, AGENT, world, **_csrf(browser, row.method))
    check(response, row)


def test_login_by_username_is_the_email_address_in_any_case(owner):
    # given: an account that signed up with its email address
    browser = APIClient()
    # when: Elinara's login form sends it as the username, typed in capitals
    response = browser.post(
        f"{API}/auth/login",
        {"username": owner.user.email.upper(), "password": owner.password},
        format="json",
    )
    # then: signed in with HttpOnly cookies and a readable CSRF cookie, no tokens in the body
    assert response.status_code == 200, response.content
    assert response.cookies["access_token"]["httponly"]
    assert not response.cookies["csrf_access_token"]["httponly"]
    assert "access" not in response.json().get("tokens", {})


def test_unknown_username_is_refused_without_saying_why(owner):
    response = APIClient().post(
        f"{API}/auth/login", {"username": "user123", "password": "nope"}, format="json"
    )
    assert response.status_code in (400, 401)
    assert response.json()["message"]


def test_write_without_the_csrf_header_is_refused(owner, world):
    # given: a signed-in browser
    browser = elinara_browser(owner)
    # when: a state-changing call omits X-CSRF-Token
    response = browser.post(f"{API}/admin/processes", _process_body(world), format="json")
    # then: refused
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/api/elinara/admin/processes", "/api/datasources"])
def test_seed_paths_never_redirect_to_the_slashed_path(owner, world, path):
    browser = elinara_browser(owner)
    for url in (path, path + "/"):
        assert browser.get(url).status_code == 200, url


def _sent_by_a_browser(browser, path: str) -> APIClient:
    """A client holding only the cookies a browser sends to `path` (RFC 6265 path-match:
    Django's test client sends every cookie it holds, whatever its path)."""

    def matches(cookie_path: str) -> bool:
        cookie_path = cookie_path or "/"
        if path == cookie_path:
            return True
        return path.startswith(cookie_path) and (
            cookie_path.endswith("/") or path[len(cookie_path)] == "/"
        )

    client = APIClient()
    for name, morsel in browser.cookies.items():
        if matches(morsel["path"]):
            client.cookies[name] = morsel.value
    return client


@pytest.mark.parametrize("logout", ["/auth/logout", "/auth2/github/logout"])
def test_logout_on_the_elinara_base_revokes_the_refresh_token(owner, logout):
    # given: signed in by username; the refresh token is in its HttpOnly cookie
    browser = elinara_browser(owner)
    refresh = browser.cookies["refresh_token"].value
    csrf = _csrf(browser, "POST")

    # when: the frontend logs out, its browser sending the cookies it sends to that path
    response = _sent_by_a_browser(browser, API + logout).post(API + logout, **csrf)

    # then: the refresh token no longer works, and the cookies are cleared
    assert response.status_code == 200, response.content
    assert response.cookies["refresh_token"].value == ""
    again = APIClient().post("/api/v1/auth/refresh/", {"refresh": refresh}, format="json")
    assert again.status_code == 401, again.content


def test_a_process_created_as_documented_gets_an_agent_of_its_own(owner, world):
    # given: the signed-in frontend
    browser = elinara_browser(owner)

    # when: it creates two processes with the body it sends (no agent)
    made = [
        browser.post(
            f"{API}/admin/processes", {"name": name}, format="json", **_csrf(browser, "POST")
        )
        for name in ("Lisbon leads", "Porto leads")
    ]

    # then: each is an agent instance of its own, named after it, in the account
    assert [r.status_code for r in made] == [201, 201], [r.content for r in made]
    processes = [AgentProcess.unscoped.select_related("agent").get(id=r.json()["id"]) for r in made]
    assert processes[0].agent_id != processes[1].agent_id
    assert [p.agent.name for p in processes] == ["Lisbon leads", "Porto leads"]
    assert {p.agent.account_id for p in processes} == {owner.account_id}


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "code"),
    [
        ("GET", f"{API}/admin/processes/999999", None, 404, "not_found"),
        ("POST", f"{AGENT}/datasources", {"platform": "google_drive"}, 400, "validation_error"),
        ("POST", f"{API}/user/register", {"username": "not-an-email"}, 400, "validation_error"),
        ("POST", f"{AGENT}/agent/control", {"action": "start"}, 403, "csrf_failed"),
    ],
)
def test_errors_on_the_elinara_bases_are_raw_objects_with_a_message(
    owner, world, method, url, body, status, code
):
    # given: the signed-in frontend (CSRF header sent, except on the last case)
    browser = elinara_browser(owner)
    headers = {} if code == "csrf_failed" else _csrf(browser, method)

    # when
    response = getattr(browser, method.lower())(url, body, format="json", **headers)

    # then: the status, and a raw object whose message the frontend shows
    assert response.status_code == status, response.content
    error = response.json()
    assert "success" not in error and "error" not in error, error
    assert isinstance(error["message"], str) and error["message"]
    assert error["code"] == code and isinstance(error["errors"], dict)


def test_a_login_locked_out_on_the_elinara_base_is_a_raw_error_too(owner, world, settings):
    # given: one failure away from the lockout (django-axes answers that one itself,
    # after the view)
    settings.AXES_FAILURE_LIMIT = 2
    client = APIClient()
    wrong = {"username": owner.user.email, "password": "nope"}
    client.post(f"{API}/auth/login", wrong, format="json")

    # when
    response = client.post(f"{API}/auth/login", wrong, format="json")

    # then
    assert response.status_code == 429, response.content
    error = response.json()
    assert error["code"] == "login_locked" and error["message"] and "success" not in error


def test_signed_out_errors_on_the_elinara_base_are_raw_too(world):
    response = APIClient().get(f"{API}/admin/user")
    assert response.status_code == 401
    assert set(response.json()) >= {"message", "code"} and "success" not in response.json()


def test_flowlines_own_paths_keep_the_error_envelope(owner, world):
    # given: the same browser, on Flowline's own path for processes
    browser = elinara_browser(owner)
    response = browser.get("/api/v1/agents/processes/999999/")
    assert response.status_code == 404
    assert response.json()["success"] is False and response.json()["error"]
