"""The npm socket.io-client, a second real peer, against the same server."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from flowline.realtime.public import publish
from flowline.realtime.testing import live_asgi_server

NODE_DIR = Path(__file__).parent / "node"
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed"),
]


@pytest.fixture(scope="module")
def node_peer():
    if not (NODE_DIR / "node_modules" / "socket.io-client").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=NODE_DIR,
            check=True,
            timeout=300,
        )
    return NODE_DIR / "peer.mjs"


def _run(peer, base_url, token, room, last_event_id, expected):
    result = subprocess.run(
        ["node", str(peer), base_url, token, room, str(last_event_id), str(expected)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_the_npm_client_replays_missed_events_and_is_refused_without_a_token(owner, node_peer):
    room = f"user_{owner.user.id}"
    token = owner.client._credentials["HTTP_AUTHORIZATION"].split(" ", 1)[1]
    with live_asgi_server() as base_url:
        # given: three thoughts streamed before the peer connected
        ids = [
            publish(
                "agent_action",
                {"id": f"t{n}", "type": "thought", "content": f"step {n}"},
                rooms=room,
            )[room]
            for n in (1, 2, 3)
        ]
        # when: it joins saying it saw the first one
        lines = _run(node_peer, base_url, token, room, last_event_id=ids[0], expected=2)
        # then: it gets exactly the two it missed, in order, with their ids
        events = [line for line in lines if line["event"] == "agent_action"]
        assert [e["data"]["id"] for e in events] == ["t2", "t3"]
        assert [e["data"]["event_id"] for e in events] == ids[1:]
        # and a peer with a forged token is refused
        refused = _run(node_peer, base_url, token + "x", room, last_event_id=0, expected=0)
        assert refused[0]["event"] == "connect_error"
