"""The Elinara frontend's first session, end to end on a served Flowline: log in by username
(cookies, X-CSRF-Token), list processes at /admin/processes, create a data source, start the
agent, and watch `pipeline_update` and `agent_action` arrive on `agent_{id}` through a real
Socket.IO client at the seed's URL and path."""

import json

import httpx
import pytest
import socketio

from flowline.ai.testing.fixtures import fake_openai, use_fake_openai  # noqa: F401
from flowline.drives.testing.fixtures import connect_google_drive, fake_google_drive  # noqa: F401
from flowline.realtime.testing import EventRecorder, live_asgi_server
from flowline.sandbox.drives.sheets import xlsx

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LEADS = [
    ["Name", "City", "Interest", "Phone"],
    ["Ana Costa", "Lisbon", "yoga", "+351911000001"],
    ["Bruno Dias", "Porto", "running", "+351911000002"],
]


def _model_answer(body: dict) -> str:
    """A model that picks the Lisbon rows it was given."""
    matches = []
    for line in body["messages"][-1]["content"].splitlines():
        if line.startswith('{"row"'):
            item = json.loads(line)
            if item["data"].get("City") == "Lisbon":
                matches.append({"row": item["row"], "reason": "Lisbon.", "fields": item["data"]})
    return "Looking at the city of each lead. " + json.dumps({"matches": matches})


class ElinaraFrontend:
    """What the React app does: two axios instances with credentials (the cookies), the
    CSRF cookie echoed on writes. Cookies are carried by hand: the test server is plain
    http, where a browser would not send the Secure cookies Flowline sets."""

    def __init__(self, origin: str):
        self.origin = origin
        self.api = httpx.Client(base_url=f"{origin}/api/elinara", timeout=20)  # VITE_API_BASE_URL
        self.agent = httpx.Client(base_url=f"{origin}/api", timeout=20)  # VITE_AGENT_BASE_URL
        self.cookies: dict[str, str] = {}

    def login(self, username: str, password: str) -> httpx.Response:
        response = self.api.post("/auth/login", json={"username": username, "password": password})
        self.cookies = {name: value for name, value in response.cookies.items()}
        return response

    def _headers(self, write: bool) -> dict:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if write:
            headers["X-CSRF-Token"] = self.cookies["csrf_access_token"]
        return headers

    def get(self, client: httpx.Client, path: str, **kwargs) -> httpx.Response:
        return client.get(path, headers=self._headers(False), **kwargs)

    def post(self, client: httpx.Client, path: str, body) -> httpx.Response:
        return client.post(path, json=body, headers=self._headers(True))

    def socket(self, recorder: EventRecorder) -> socketio.Client:
        # URL: VITE_AGENT_BASE_URL stripped of `/api`; path: /api/socket.io
        client = socketio.Client(reconnection=False)
        for name in ("pipeline_update", "agent_action", "agent_status", "task_update"):
            client.on(name, recorder.record(name))
        client.connect(
            self.origin,
            socketio_path="api/socket.io",
            headers=self._headers(False),
            transports=["websocket"],
            wait_timeout=10,
        )
        return client


def test_elinara_logs_in_by_username_starts_an_agent_and_watches_it_live(
    owner,
    fake_openai,  # noqa: F811
    fake_google_drive,  # noqa: F811
):
    # given: a model, a Google Drive with a lead file, and the owner connected to the drive
    use_fake_openai(owner.account_id, fake_openai)
    fake_openai.responder = _model_answer
    leads_id = fake_google_drive.add_file(
        "Leads.xlsx",
        xlsx(LEADS),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    connect_google_drive(owner, fake_google_drive)

    with live_asgi_server() as origin:
        app = ElinaraFrontend(origin)
        # when: it logs in by username (its email address), cookies only
        login = app.login(owner.user.email, owner.password)
        assert login.status_code == 200, login.text
        assert {"access_token", "csrf_access_token"} <= set(app.cookies)
        assert "success" not in login.json()

        # the processes screen: a raw array
        listed = app.get(app.api, "/admin/processes")
        assert listed.status_code == 200 and listed.json() == []

        # creates a process (with its body: no agent) and a data source, raw objects back
        process = app.post(
            app.api, "/admin/processes", {"name": "Lisbon leads", "description": "Lisbon leads"}
        )
        assert process.status_code == 201, process.text
        process_id = process.json()["id"]
        source = app.post(
            app.agent,
            "/datasources",
            {
                "process_id": process_id,
                "platform": "google_drive",
                "resource_identifier": leads_id,
                "resource_name": "Leads.xlsx",
                "config": [],
            },
        )
        assert source.status_code == 201, source.text
        assert {"id", "process_id", "platform", "resource_identifier", "resource_name"} <= set(
            source.json()
        )

        recorder = EventRecorder()
        socket = app.socket(recorder)
        try:
            joined = socket.call("join", {"room": f"agent_{process_id}"}, timeout=5)
            assert joined["ok"] is True

            # and starts the agent
            started = app.post(
                app.agent,
                "/agent/control",
                {"action": "start", "agent_id": str(process_id), "execution_mode": "manual"},
            )
            assert started.status_code == 200, started.text

            # then: the documented events arrive on agent_{id}, unwrapped
            _, update = recorder.wait_for(
                lambda n, d: n == "pipeline_update" and d["process_id"] == str(process_id),
                timeout=30,
            )
            assert isinstance(update["pipeline"], dict)
            _, action = recorder.wait_for(lambda n, d: n == "agent_action", timeout=30)
            assert {"id", "type", "content"} <= set(action)
            assert action["type"] in ("thought", "action")
            socket.call("leave", {"room": f"agent_{process_id}"}, timeout=5)
        finally:
            socket.disconnect()
