"""Who may join which room, and what a joining client is told of the room's current state.
Apps register their own room kinds (e.g. `agent_{id}`, `job_{uuid}`)."""

from __future__ import annotations

import re
from collections.abc import Callable

_ROOM = re.compile(r"^(?P<kind>[a-z]+)_(?P<ident>[A-Za-z0-9-]{1,64})$")

# kind -> authorize(account_id, user_id, ident) -> bool (runs in a worker thread; may query)
_kinds: dict[str, Callable[[int, int, str], bool]] = {
    "user": lambda account_id, user_id, ident: ident == str(user_id),
    "account": lambda account_id, user_id, ident: ident == str(account_id),
}


def member_room(account_id: int, user_id: int) -> str:
    """The room every socket of one member of one account is in (server-side only: no
    room kind `member` is registered, so a client cannot join it). Closing it
    disconnects those sockets (see server.RoomClosingManager)."""
    return f"{MEMBER_PREFIX}{account_id}-{user_id}"


def session_room(session: str) -> str:
    """The room every socket opened with the tokens of one sign-in is in (server-side
    only, like the member room). Closing it disconnects those sockets."""
    return f"{SESSION_PREFIX}{session}"


MEMBER_PREFIX = "member_"
SESSION_PREFIX = "session_"


def closes_sockets(room: str) -> bool:
    """Whether closing `room` disconnects its sockets (the server-side rooms above),
    rather than only emptying it."""
    return room.startswith((MEMBER_PREFIX, SESSION_PREFIX))


# kind -> snapshot(ident) -> [(event, data)]: the room's state now, read from the database
_snapshots: dict[str, Callable[[str], list[tuple[str, dict]]]] = {}


def register_room_kind(
    kind: str,
    authorize: Callable[[int, int, str], bool],
    *,
    snapshot: Callable[[str], list[tuple[str, dict]]] | None = None,
) -> None:
    """Allow rooms named `<kind>_<id>` for members `authorize` says yes to. `snapshot`,
    if given, tells a client that joins or asks for a replay the room's current state
    from its durable record, so an event lost with Redis (or beyond the replay window)
    is not lost to the client."""
    _kinds[kind] = authorize
    if snapshot is not None:
        _snapshots[kind] = snapshot


def snapshot(room: str) -> list[tuple[str, dict]]:
    """The events that restate `room`'s current state (none for rooms without one)."""
    match = _ROOM.match(room or "")
    make = _snapshots.get(match["kind"]) if match else None
    return make(match["ident"]) if make else []


def may_join(room: str, *, account_id: int, user_id: int) -> bool:
    match = _ROOM.match(room or "")
    if not match:
        return False
    authorize = _kinds.get(match["kind"])
    return bool(authorize and authorize(account_id, user_id, match["ident"]))
