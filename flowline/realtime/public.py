"""`publish()`: send a real-time event from anywhere (a view, a service, a worker process);
the registries other apps plug into the server with (room kinds, socket authenticator,
server companions)."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable, Coroutine
from functools import cache
from typing import Any

from django.conf import settings

from flowline.realtime.buffer import RedisBuffer, event_buffer, redis_timeouts
from flowline.realtime.hooks import (  # noqa: F401  (re-exported)
    register_server_companion,
    register_socket_authenticator,
)
from flowline.realtime.rooms import register_room_kind  # noqa: F401  (re-exported)

logger = logging.getLogger("flowline.realtime")


@cache
def _redis_emitter():
    import socketio

    return socketio.RedisManager(
        settings.REDIS_URL,
        channel="flowline-socketio",
        write_only=True,
        redis_options=redis_timeouts(),
    )


def publish(event: str, data: dict, *, rooms: list[str] | str) -> dict[str, int | None]:
    """Emit `event` to each room with the next event id of that room (`event_id`);
    returns the id each room gave it.

    With REDIS_URL the event goes through Socket.IO's Redis manager, so every web node
    delivers it; in embedded mode it is handed to this process's server loop. The rooms
    are served together: two Redis round trips for all of them (a job's event goes to
    three), or one hop into the server loop.
    """
    rooms = [rooms] if isinstance(rooms, str) else list(rooms)
    try:
        buffer = event_buffer()
        if isinstance(buffer, RedisBuffer):  # the Socket.IO publish rides on its pipeline
            bodies = buffer.append_many(
                rooms, event, data, also=lambda pipe, bodies: _publish_on(pipe, event, bodies)
            )
        else:
            bodies = buffer.append_many(rooms, event, data)
    except Exception:  # real-time is best effort: a dead Redis must not fail the caller
        logger.warning("Could not publish %s to %s", event, rooms, exc_info=True)
        return dict.fromkeys(rooms)
    if not isinstance(buffer, RedisBuffer):
        _emit_here(event, bodies)
    return {room: body["event_id"] for room, body in bodies.items()}


def _publish_on(pipe, event: str, bodies: dict[str, dict]) -> None:
    """Queue on `pipe` what Socket.IO's Redis manager publishes for `emit(event, body,
    room=room)` (python-socketio's PubSubManager.emit), for each room: the web nodes'
    managers deliver it as if the manager had sent it, one round trip for all."""
    from socketio.packet import Packet

    emitter = _redis_emitter()
    for room, body in bodies.items():
        if Packet.data_is_binary([body]):  # not what our events carry; the manager knows how
            emitter.emit(event, body, room=room)
            continue
        message = {
            "method": "emit",
            "event": event,
            "data": [body],
            "binary": False,
            "namespace": "/",
            "room": room,
            "skip_sid": None,
            "callback": None,
            "host_id": emitter.host_id,
        }
        pipe.publish(emitter.channel, emitter.json.dumps(message))


def _emit_here(event: str, bodies: dict[str, dict]) -> None:
    """Hand the event to this process's Socket.IO server: one hop into its loop."""
    try:
        from flowline.realtime.server import sio

        async def emit_all() -> None:
            # One event's copies all go out before the next event's: a socket in several
            # of the rooms would otherwise see a job's progress go back (2, then 0).
            async with _emit_lock():
                for room, body in bodies.items():
                    await sio.emit(event, body, room=room)

        # no server in this process: buffered for replay only
        _on_server_loop(emit_all)
    except Exception:
        logger.warning("Could not emit %s to %s", event, list(bodies), exc_info=True)


_EMIT_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _emit_lock() -> asyncio.Lock:
    """The running server loop's emit lock. asyncio.Lock wakes its waiters in arrival
    order, and publishes reach the loop in the order they were made, so events leave in
    that order."""
    loop = asyncio.get_running_loop()
    lock = _EMIT_LOCKS.get(loop)
    if lock is None:
        lock = _EMIT_LOCKS[loop] = asyncio.Lock()
    return lock


def disconnect_member(*, account_id: int, user_id: int) -> None:
    """Close every open socket of one member of one account, on every web node: call it
    when the membership ends or changes (the client reconnects, if it still may, and its
    rights are checked afresh). Best effort, like `publish`."""
    from flowline.realtime.rooms import member_room

    _close_sockets_of(member_room(account_id, user_id))


def disconnect_session(*, session: str) -> None:
    """Close every open socket opened with the tokens of one sign-in (the `session` its
    authenticator named), on every web node: call it when the session ends (logout).
    Best effort, like `publish`."""
    from flowline.realtime.rooms import session_room

    _close_sockets_of(session_room(session))


def _close_sockets_of(room: str) -> None:
    """Disconnect the sockets of a server-side room (`rooms.closes_sockets`)."""
    try:
        if settings.REDIS_URL:
            # every node's manager (server.RoomClosingManager) disconnects the room's sockets
            _redis_emitter().close_room(room, namespace="/")
            return
        from flowline.realtime.server import disconnect_room_here

        # no server in this process, so no socket to close
        _on_server_loop(lambda: disconnect_room_here(room))
    except Exception:
        logger.warning("Could not disconnect the sockets of %s", room, exc_info=True)


def _on_server_loop(start: Callable[[], Coroutine[Any, Any, Any]]) -> None:
    """Run the coroutine `start()` makes on this process's Socket.IO server loop, from that
    loop or from any other thread; nothing (and no coroutine made) when no server runs
    here."""
    from flowline.realtime.server import running_loop

    loop = running_loop()
    if loop is None or loop.is_closed():
        return
    coroutine = start()
    try:
        current = asyncio.get_running_loop()
    except RuntimeError:
        current = None
    if current is loop:
        loop.create_task(coroutine)
    else:
        asyncio.run_coroutine_threadsafe(coroutine, loop)


def room_history(room: str, events: tuple[str, ...] = ()) -> tuple[int, list[dict]]:
    """The room's latest event id and the buffered events up to it (only `events`, when
    given), oldest first. A page renders these and joins the room with that id: the
    replay then sends exactly what came after, so nothing is missed or shown twice."""
    buffer = event_buffer()
    try:
        last = buffer.last(room)  # first: anything newer comes by replay, not twice
        kept = buffer.since(room, 0)
    except Exception:  # Redis away: the page shows the durable state only
        logger.warning("Could not read the replay buffer of %s", room, exc_info=True)
        return 0, []
    return last, [
        data for seq, event, data in kept if seq <= last and (not events or event in events)
    ]
