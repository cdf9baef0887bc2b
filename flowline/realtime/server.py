"""The Socket.IO server mounted beside Django at /api/socket.io.

Clients authenticate with the access token (`auth: {token}`, or an `Authorization:
Bearer` header) or the HttpOnly auth cookie; anyone else is refused. Each connection
joins its `user_{id}` and `account_{id}` rooms; `join`/`leave` add or drop rooms the
member may see, and `last_event_id` on join replays what the client missed.

A socket lives no longer than the credential it was opened with: the process serving it
disconnects it when its token expires (the client reconnects with a fresh one), and
closing its member room (membership changed) or its session room (logout) disconnects
it on whichever node serves it.
"""

from __future__ import annotations

import asyncio
import logging
import time

import socketio
from asgiref.sync import sync_to_async
from django.conf import settings

from flowline.realtime import hooks, rooms
from flowline.realtime.buffer import event_buffer

logger = logging.getLogger("flowline.realtime")


async def disconnect_room_here(room: str, namespace: str = "/") -> None:
    """Disconnect the sockets of `room` that this process serves."""
    for sid, _eio_sid in list(sio.manager.get_participants(namespace, room)):
        await sio.disconnect(sid, namespace=namespace, ignore_queue=True)


class RoomClosingManager(socketio.AsyncRedisManager):
    """The Redis manager, where closing a member or session room (published by any
    process through `realtime.public.disconnect_member` / `disconnect_session`)
    disconnects its sockets on every node."""

    async def _handle_close_room(self, message):
        room = message.get("room") or ""
        if rooms.closes_sockets(room):
            await disconnect_room_here(room, message.get("namespace") or "/")
        await super()._handle_close_room(message)


def _client_manager():
    if settings.REDIS_URL:
        return RoomClosingManager(settings.REDIS_URL, channel="flowline-socketio")
    return None


def origin_allowed(origin: str, environ: dict) -> bool:
    """Whether a browser page at `origin` may open a socket: the configured front ends
    (CORS_ALLOWED_ORIGINS, CSRF_TRUSTED_ORIGINS) or the console itself (the Host the
    request came to, over http or https since TLS may end at a proxy). A cookie rides
    along with any page's request, so a foreign page must not get a socket (cross-site
    WebSocket hijacking). A handshake without Origin (not a browser) is not checked here
    and still needs a token."""
    allowed = {*(settings.CORS_ALLOWED_ORIGINS or ()), *(settings.CSRF_TRUSTED_ORIGINS or ())}
    if origin in allowed:
        return True
    host = environ.get("HTTP_HOST")
    return bool(host) and origin in (f"http://{host}", f"https://{host}")


sio = socketio.AsyncServer(
    async_mode="asgi",
    client_manager=_client_manager(),
    # A callable, read at each handshake; an empty list would switch the check off.
    cors_allowed_origins=origin_allowed,
    cors_credentials=True,
    logger=False,
    engineio_logger=False,
    ping_interval=settings.FLOWLINE_SOCKETIO_PING_INTERVAL,
    ping_timeout=settings.FLOWLINE_SOCKETIO_PING_TIMEOUT,
)

_loop: asyncio.AbstractEventLoop | None = None


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop serving Socket.IO in this process, if it is serving."""
    return _loop


def _token_from(environ: dict, auth) -> str | None:
    if isinstance(auth, dict) and auth.get("token"):
        return str(auth["token"])
    header = environ.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("bearer "):
        return header.split(" ", 1)[1].strip()
    from http.cookies import SimpleCookie

    cookies = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    morsel = cookies.get(settings.AUTH_COOKIE_ACCESS)
    return morsel.value if morsel else None


def _identify(raw: str) -> dict | None:
    """The member behind an access token, or None (no authenticator registered: refused)."""
    from django.db import close_old_connections

    authenticator = hooks.socket_authenticator()
    if authenticator is None:
        return None
    close_old_connections()
    try:
        return authenticator.identify(raw)
    finally:
        close_old_connections()


@sio.event
async def connect(sid, environ, auth=None):
    raw = _token_from(environ, auth)
    identity = await sync_to_async(_identify)(raw) if raw else None
    if identity is None:
        raise socketio.exceptions.ConnectionRefusedError("authentication failed")
    await sio.save_session(sid, identity)
    await sio.enter_room(sid, f"user_{identity['user_id']}")
    await sio.enter_room(sid, f"account_{identity['account_id']}")
    await sio.enter_room(sid, rooms.member_room(identity["account_id"], identity["user_id"]))
    if identity.get("session"):
        await sio.enter_room(sid, rooms.session_room(identity["session"]))
    _expiries[sid] = asyncio.get_running_loop().create_task(
        _disconnect_at(sid, identity["expires_at"])
    )


# sid -> the task that disconnects it when its token expires. Each node times the
# sockets it serves, so nothing needs to be shared between nodes.
_expiries: dict[str, asyncio.Task] = {}


async def _disconnect_at(sid: str, expires_at: float) -> None:
    await asyncio.sleep(max(0.0, expires_at - time.time()))
    _expiries.pop(sid, None)  # not cancelled by the disconnect this causes
    await sio.disconnect(sid)


@sio.event
async def disconnect(sid, reason=None):
    expiry = _expiries.pop(sid, None)
    if expiry is not None:
        expiry.cancel()


@sio.event
async def join(sid, data):
    """`{"room": "agent_12", "last_event_id": 41}` -> joined, plus any missed events."""
    session = await sio.get_session(sid)
    room = (data or {}).get("room") if isinstance(data, dict) else None
    allowed = (
        await sync_to_async(_may_join)(room, session["account_id"], session["user_id"])
        if room
        else False
    )
    if allowed is None:  # no longer a member: nothing more for this socket
        for joined in sio.rooms(sid):
            if joined != sid:
                await sio.leave_room(sid, joined)
        # after this answer is queued: the refusal reaches the client, then the socket closes
        asyncio.get_running_loop().create_task(sio.disconnect(sid))
    if not allowed:
        return {"ok": False, "error": "You may not join this room.", "room": room}
    await sio.enter_room(sid, room)
    replayed = await _replay(sid, room, data.get("last_event_id"))
    return {"ok": True, "room": room, "replayed": replayed}


def _may_join(room: str, account_id: int, user_id: int) -> bool | None:
    """Whether the member may join `room`; None when they are no longer a member (the
    membership is checked again on every join, not only when the socket connected)."""
    from django.db import close_old_connections

    authenticator = hooks.socket_authenticator()
    try:
        if authenticator is None or not authenticator.is_member(account_id, user_id):
            return None
        return rooms.may_join(room, account_id=account_id, user_id=user_id)
    finally:
        close_old_connections()  # no request ends here to hand the connection back


@sio.event
async def leave(sid, data):
    room = (data or {}).get("room") if isinstance(data, dict) else None
    if room:
        await sio.leave_room(sid, room)
    return {"ok": True, "room": room}


@sio.event
async def replay(sid, data):
    """`{"room": ..., "last_event_id": N}` for a room the client is in."""
    room = (data or {}).get("room") if isinstance(data, dict) else None
    if not room or room not in sio.rooms(sid):
        return {"ok": False, "error": "Join the room first.", "room": room}
    return {
        "ok": True,
        "room": room,
        "replayed": await _replay(sid, room, data.get("last_event_id")),
    }


async def _replay(sid, room: str, last_event_id) -> int:
    sent = 0
    if last_event_id is not None:
        try:
            last = int(last_event_id)
        except (TypeError, ValueError):
            last = None
        if last is not None:
            try:
                missed = await sync_to_async(event_buffer().since)(room, last)
            except Exception:  # Redis away: the snapshot below still tells the state
                logger.warning("Could not read the replay buffer of %s", room, exc_info=True)
                missed = []
            for _seq, event, data in missed:
                await sio.emit(event, data, to=sid)
            sent = len(missed)
    for event, data in await sync_to_async(_snapshot)(room):
        await sio.emit(event, data, to=sid)
        sent += 1
    return sent


def _snapshot(room: str) -> list[tuple[str, dict]]:
    from django.db import close_old_connections

    try:
        # The room's latest id, read before the state: the state is at least that new.
        # A snapshot claims no id of its own (`snapshot: true`): a live event that
        # races it keeps its id, and a client that has seen an event after `event_id`
        # already holds a newer state than this one.
        try:
            last = event_buffer().last(room)
        except Exception:
            last = None
        events = rooms.snapshot(room)
        return [
            (event, {**data, "room": room, "event_id": last, "snapshot": True})
            for event, data in events
        ]
    finally:
        close_old_connections()


def _fresh_manager() -> None:
    """A Redis manager listens on the loop that first used it: give each serving loop its own."""
    manager = _client_manager() or socketio.AsyncManager()
    manager.set_server(sio)
    sio.manager = manager
    sio.manager_initialized = False


async def on_startup() -> None:
    global _loop
    _loop = asyncio.get_running_loop()
    _fresh_manager()
    for start, _stop in hooks.server_companions():
        await sync_to_async(start, thread_sensitive=False)()


async def on_shutdown() -> None:
    global _loop
    for expiry in _expiries.values():
        expiry.cancel()
    _expiries.clear()
    for _start, stop in reversed(hooks.server_companions()):
        await sync_to_async(stop, thread_sensitive=False)()
    _loop = None
