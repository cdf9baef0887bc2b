"""Who may join which room. Apps register their own room kinds (e.g. `agent_{id}`)."""

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


MEMBER_PREFIX = "member_"


def register_room_kind(kind: str, authorize: Callable[[int, int, str], bool]) -> None:
    """Allow rooms named `<kind>_<id>` for members `authorize` says yes to."""
    _kinds[kind] = authorize


def may_join(room: str, *, account_id: int, user_id: int) -> bool:
    match = _ROOM.match(room or "")
    if not match:
        return False
    authorize = _kinds.get(match["kind"])
    return bool(authorize and authorize(account_id, user_id, match["ident"]))


def _job_room(account_id: int, user_id: int, ident: str) -> bool:
    from flowline.jobs.models import Job

    try:
        return Job.unscoped.filter(id=ident, account_id=account_id).exists()
    except Exception:  # not a UUID
        return False


register_room_kind("job", _job_room)
