"""What apps plug into the Socket.IO server without realtime importing them: who a
socket's token belongs to (identity registers it), and what runs beside the server while
it serves (jobs registers the embedded worker)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SocketAuthenticator:
    """`identify(token)` -> `{"user_id", "account_id", "role", "expires_at", "session"}`
    or None (expired, forged, revoked...): the server disconnects the socket at
    `expires_at` (Unix time) and when `session` (the sign-in, or None) is closed with
    `public.disconnect_session`. `is_member(account_id, user_id)` -> whether that
    membership is still active. Both run in a worker thread and may query."""

    identify: Callable[[str], dict | None]
    is_member: Callable[[int, int], bool]


_authenticator: SocketAuthenticator | None = None
# (start, stop) pairs, called in a worker thread when the server starts and stops serving
_companions: list[tuple[Callable[[], None], Callable[[], None]]] = []


def register_socket_authenticator(
    *, identify: Callable[[str], dict | None], is_member: Callable[[int, int], bool]
) -> None:
    """Say who a socket is: without one every connection is refused (fail closed)."""
    global _authenticator
    _authenticator = SocketAuthenticator(identify=identify, is_member=is_member)


def socket_authenticator() -> SocketAuthenticator | None:
    return _authenticator


def register_server_companion(*, start: Callable[[], None], stop: Callable[[], None]) -> None:
    """Run `start()` when the server starts serving and `stop()` when it stops."""
    _companions.append((start, stop))


def server_companions() -> list[tuple[Callable[[], None], Callable[[], None]]]:
    return list(_companions)
