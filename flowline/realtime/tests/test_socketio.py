"""Socket.IO at /api/socket.io: who may connect, which rooms they may join, and replay."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
import socketio
from rest_framework_simplejwt.tokens import AccessToken

from flowline.core.roles import Role
from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity.models import Membership
from flowline.realtime.public import publish
from flowline.realtime.testing import (
    connect_client,
    live_asgi_server,
    member_token,
    realtime_redis,  # noqa: F401
)

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


def _disconnected(client) -> threading.Event:
    """Set when the server ends `client`'s connection."""
    gone = threading.Event()
    client.on("disconnect", lambda *args: gone.set())
    return gone


@contextmanager
def _member_socket(base_url: str, member) -> Iterator[tuple[object, threading.Event]]:
    """A socket `member` opened with their token: the events it receives, and an event set
    when the server ends its connection. Closed on the way out."""
    client, events = connect_client(base_url, auth={"token": member_token(member)})
    gone = _disconnected(client)
    try:
        yield events, gone
    finally:
        client.disconnect()


def test_a_member_removed_from_the_account_is_disconnected_at_once(owner, member_factory):
    colleague = member_factory(owner, Role.EDITOR, email="leaving@example.com")
    # given: a colleague receiving the account's live events
    with live_asgi_server() as base_url, _member_socket(base_url, colleague) as (events, gone):
        publish("pipeline_update", {"process_id": "before"}, rooms=f"account_{owner.account_id}")
        events.wait_for(lambda n, d: d["process_id"] == "before")
        # when: an admin removes them from the account
        removed = owner.client.delete(f"/api/v1/auth/users/{colleague.user.id}/")
        assert removed.status_code == 200, removed.content
        # then: the server closes their socket, and they can no longer connect
        assert gone.wait(timeout=10), "the removed member's socket is still open"
        publish("pipeline_update", {"process_id": "after"}, rooms=f"account_{owner.account_id}")
        assert all(d["process_id"] != "after" for d in events.of("pipeline_update"))
        with pytest.raises(socketio.exceptions.ConnectionError):
            connect_client(base_url, auth={"token": member_token(colleague)})


def test_a_deactivated_member_is_disconnected(owner, member_factory):
    colleague = member_factory(owner, Role.EDITOR, email="paused@example.com")
    with live_asgi_server() as base_url, _member_socket(base_url, colleague) as (_, gone):
        response = owner.client.post(f"/api/v1/auth/users/{colleague.user.id}/deactivate/")
        assert response.status_code == 200, response.content
        assert gone.wait(timeout=10), "the deactivated member's socket is still open"


def test_changing_the_password_closes_the_sockets_its_old_tokens_opened(owner):
    with live_asgi_server() as base_url, _member_socket(base_url, owner) as (_, gone):
        # when: every token issued before is invalidated
        response = owner.client.post(
            "/api/v1/auth/change-password/",
            {
                "old_password": owner.password,
                "new_password": "Another-Horse-77-staple",
                "new_password_confirm": "Another-Horse-77-staple",
            },
            format="json",
        )
        assert response.status_code == 200, response.content
        # then: so is the socket one of them opened
        assert gone.wait(timeout=10), "a socket opened with a dead token is still open"


def test_deleting_the_account_closes_its_members_sockets(owner, member_factory):
    colleague = member_factory(owner, Role.EDITOR, email="member-of-deleted@example.com")
    with live_asgi_server() as base_url, _member_socket(base_url, colleague) as (_, gone):
        response = owner.client.delete(f"/api/v1/auth/accounts/{owner.account_id}/")
        assert response.status_code == 200, response.content
        assert gone.wait(timeout=10), "a member's socket outlived the account"


def test_joining_a_room_rechecks_the_membership(owner, member_factory):
    colleague = member_factory(owner, Role.EDITOR, email="stale@example.com")
    with live_asgi_server() as base_url:
        client, _ = connect_client(base_url, auth={"token": member_token(colleague)})
        try:
            # given: the membership ended by a path that did not close the socket
            Membership.unscoped.filter(pk=colleague.membership.pk).update(is_active=False)
            # when
            answer = client.call("join", {"room": f"account_{owner.account_id}"}, timeout=5)
            # then
            assert answer["ok"] is False
        finally:
            client.disconnect()


def test_a_handshake_from_a_foreign_origin_is_refused(owner, settings):
    # Over long-polling, where the test client sends the Origin it is given (its
    # WebSocket library adds one of its own); the server checks every handshake the same
    # way, whatever the transport.
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    cookie = f"access_token={member_token(owner)}"
    with live_asgi_server() as base_url:
        # when: a page on another site opens a socket riding on the browser's cookie
        with pytest.raises(socketio.exceptions.ConnectionError):
            connect_client(
                base_url,
                headers={"Origin": "https://evil.example", "Cookie": cookie},
                transports=("polling",),
            )
        # then: the console's own origin, an allowed front end and a client that sends
        # no Origin (not a browser; it still needs its token) connect
        for headers in (
            {"Origin": base_url, "Cookie": cookie},
            {"Origin": "https://app.example.com", "Cookie": cookie},
            {"Authorization": f"Bearer {member_token(owner)}"},
        ):
            client, _ = connect_client(base_url, headers=headers, transports=("polling",))
            assert client.connected
            client.disconnect()


API = "/api/v1/auth"


def _signed_in(member, *, cookie: bool) -> tuple[APIClient, dict]:
    """A fresh sign-in of `member` (its own session): the client and the login's tokens."""
    client = APIClient()
    response = client.post(
        f"{API}/login/",
        {"email": member.user.email, "password": member.password, "cookie": cookie},
        format="json",
    )
    assert response.status_code == 200, response.content
    if cookie:
        return client, {name: morsel.value for name, morsel in response.cookies.items()}
    return client, response.json()["data"]["tokens"]


def test_a_socket_is_disconnected_when_its_token_expires_and_a_fresh_token_reconnects(
    owner, monkeypatch
):
    with live_asgi_server() as base_url:
        # given: a socket opened with an access token that lives a few seconds
        with monkeypatch.context() as patched:
            patched.setattr(AccessToken, "lifetime", timedelta(seconds=5))
            client, tokens = _signed_in(owner, cookie=False)
        expires_at = AccessToken(tokens["access"])["exp"]
        socket, _ = connect_client(base_url, auth={"token": tokens["access"]})
        gone = _disconnected(socket)
        try:
            # then: the server closes it when the token expires, not before
            assert gone.wait(timeout=20), "a socket outlived its token"
            assert time.time() >= expires_at
            with pytest.raises(socketio.exceptions.ConnectionError):
                connect_client(base_url, auth={"token": tokens["access"]})
            # and: the client refreshes its session and reconnects with the fresh token
            fresh = client.post(f"{API}/refresh/", {"refresh": tokens["refresh"]}, format="json")
            assert fresh.status_code == 200, fresh.content
            again, events = connect_client(base_url, auth={"token": fresh.json()["data"]["access"]})
            publish("notification", {"id": "n1"}, rooms=f"user_{owner.user.id}")
            events.wait_for(lambda n, d: d["id"] == "n1")
            again.disconnect()
        finally:
            socket.disconnect()


def test_logging_out_of_the_console_closes_the_sockets_of_that_session_only(owner, other_owner):
    # given: the owner signed in to the console (cookies), and signed in elsewhere with a
    # Bearer token (another session), and another user's socket
    browser, cookies = _signed_in(owner, cookie=True)
    with live_asgi_server() as base_url:
        console, _ = connect_client(
            base_url, headers={"Cookie": f"access_token={cookies['access_token']}"}
        )
        console_gone = _disconnected(console)
        elsewhere, my_events = connect_client(base_url, auth={"token": member_token(owner)})
        theirs, their_events = connect_client(base_url, auth={"token": member_token(other_owner)})
        try:
            # when: the console rotates its tokens (as it does before they expire), then logs out
            csrf = {"HTTP_X_CSRF_TOKEN": cookies["csrf_access_token"]}
            rotated = browser.post(f"{API}/refresh/", {}, format="json", **csrf)
            assert rotated.status_code == 200, rotated.content
            csrf = {"HTTP_X_CSRF_TOKEN": rotated.cookies["csrf_access_token"].value}
            logged_out = browser.post(f"{API}/logout/", {}, format="json", **csrf)
            assert logged_out.status_code == 200, logged_out.content
            # then: the socket the console opened before the rotation is closed
            assert console_gone.wait(timeout=10), "a socket outlived its logged-out session"
            # and: the owner's other session and the other user still receive events
            publish("notification", {"id": "mine"}, rooms=f"user_{owner.user.id}")
            publish("notification", {"id": "theirs"}, rooms=f"user_{other_owner.user.id}")
            my_events.wait_for(lambda n, d: d["id"] == "mine")
            their_events.wait_for(lambda n, d: d["id"] == "theirs")
            assert elsewhere.connected and theirs.connected
        finally:
            for client in (console, elsewhere, theirs):
                client.disconnect()


def test_logging_out_with_the_refresh_token_closes_the_socket_of_its_access_token(owner):
    client, tokens = _signed_in(owner, cookie=False)
    with live_asgi_server() as base_url:
        socket, _ = connect_client(base_url, auth={"token": tokens["access"]})
        gone = _disconnected(socket)
        try:
            response = client.post(f"{API}/logout/", {"refresh": tokens["refresh"]}, format="json")
            assert response.status_code == 200, response.content
            assert gone.wait(timeout=10), "a socket outlived its logged-out session"
        finally:
            socket.disconnect()


def test_a_logged_out_sessions_access_token_cannot_open_a_socket(owner):
    # given a sign-in that logged out, its access token not expired
    client, tokens = _signed_in(owner, cookie=False)
    response = client.post(f"{API}/logout/", {"refresh": tokens["refresh"]}, format="json")
    assert response.status_code == 200, response.content

    # when / then: a handshake with it is refused, and another sign-in still connects
    with live_asgi_server() as base_url:
        with pytest.raises(socketio.exceptions.ConnectionError):
            connect_client(base_url, auth={"token": tokens["access"]})
        socket, _ = connect_client(base_url, auth={"token": member_token(owner)})
        socket.disconnect()


def test_a_logout_on_another_process_closes_the_session_sockets_through_redis(
    owner,
    other_owner,
    realtime_redis,  # noqa: F811
):
    # given: sockets on a node that hears room closings through Redis, as every node does
    client, tokens = _signed_in(owner, cookie=False)
    with live_asgi_server() as base_url:
        socket, _ = connect_client(base_url, auth={"token": tokens["access"]})
        gone = _disconnected(socket)
        theirs, their_events = connect_client(base_url, auth={"token": member_token(other_owner)})
        try:
            # when: this process (an API node) handles the logout
            response = client.post(f"{API}/logout/", {"refresh": tokens["refresh"]}, format="json")
            assert response.status_code == 200, response.content
            # then: the node closes that session's socket and no other
            assert gone.wait(timeout=10), "a socket outlived its logged-out session"
            publish("notification", {"id": "theirs"}, rooms=f"user_{other_owner.user.id}")
            their_events.wait_for(lambda n, d: d["id"] == "theirs")
            assert theirs.connected
        finally:
            socket.disconnect()
            theirs.disconnect()
