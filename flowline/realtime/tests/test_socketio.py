"""Socket.IO at /api/socket.io: who may connect, which rooms they may join, and replay."""

import pytest
import socketio

from flowline.realtime.public import publish
from flowline.realtime.testing import connect_client, live_asgi_server, member_token

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_unauthenticated_and_forged_connections_are_refused(owner):
    with live_asgi_server() as base_url:
        for auth in (None, {"token": "not-a-jwt"}, {"token": member_token(owner)[:-4] + "abcd"}):
            with pytest.raises(socketio.exceptions.ConnectionError):
                connect_client(base_url, auth=auth)


def test_token_in_auth_header_or_cookie_connects_over_websocket_and_polling(owner):
    with live_asgi_server() as base_url:
        token = member_token(owner)
        for kwargs in (
            {"auth": {"token": token}},
            {"headers": {"Authorization": f"Bearer {token}"}, "transports": ("polling",)},
            {"headers": {"Cookie": f"access_token={token}"}},
        ):
            client, _ = connect_client(base_url, **kwargs)
            assert client.connected
            client.disconnect()


def test_members_receive_events_of_their_rooms_only(owner, other_owner):
    with live_asgi_server() as base_url:
        mine, my_events = connect_client(base_url, auth={"token": member_token(owner)})
        theirs, their_events = connect_client(base_url, auth={"token": member_token(other_owner)})
        try:
            # when: an event is published to the owner's account room
            publish(
                "pipeline_update",
                {"process_id": "p1", "pipeline": {"stage": "extract"}},
                rooms=f"account_{owner.account_id}",
            )
            # then: the owner gets it, with the room's event id; the other account does not
            _, data = my_events.wait_for(lambda n, d: n == "pipeline_update")
            assert data["pipeline"] == {"stage": "extract"} and data["event_id"] >= 1
            publish(
                "pipeline_update", {"process_id": "p2"}, rooms=f"account_{other_owner.account_id}"
            )
            their_events.wait_for(lambda n, d: d["process_id"] == "p2")
            assert all(d["process_id"] != "p1" for d in their_events.of("pipeline_update"))
        finally:
            mine.disconnect()
            theirs.disconnect()


def test_joining_another_accounts_room_is_refused(owner, other_owner):
    with live_asgi_server() as base_url:
        client, _ = connect_client(base_url, auth={"token": member_token(owner)})
        try:
            refused = [
                client.call("join", {"room": f"account_{other_owner.account_id}"}, timeout=5),
                client.call("join", {"room": f"user_{other_owner.user.id}"}, timeout=5),
                client.call("join", {"room": "nonsense room"}, timeout=5),
            ]
            assert [answer["ok"] for answer in refused] == [False, False, False]
            assert client.call("join", {"room": f"user_{owner.user.id}"}, timeout=5)["ok"] is True
        finally:
            client.disconnect()


def test_a_reconnecting_client_gets_what_it_missed(owner):
    room = f"user_{owner.user.id}"
    with live_asgi_server() as base_url:
        # given: a client that saw the first step, then dropped
        client, events = connect_client(base_url, auth={"token": member_token(owner)})
        publish("agent_action", {"id": "a1", "type": "thought", "content": "step 1"}, rooms=room)
        _, first = events.wait_for(lambda n, d: d["id"] == "a1")
        client.disconnect()
        # when: two steps happen while it is away, and it comes back with its last id
        publish("agent_action", {"id": "a2", "type": "thought", "content": "step 2"}, rooms=room)
        publish("agent_action", {"id": "a3", "type": "action", "content": "step 3"}, rooms=room)
        client, events = connect_client(base_url, auth={"token": member_token(owner)})
        try:
            answer = client.call(
                "join", {"room": room, "last_event_id": first["event_id"]}, timeout=5
            )
            # then: it receives exactly the missed steps, in order
            assert answer == {"ok": True, "room": room, "replayed": 2}
            events.wait_for(lambda n, d: d["id"] == "a3")
            assert [d["id"] for d in events.of("agent_action")] == ["a2", "a3"]
        finally:
            client.disconnect()
