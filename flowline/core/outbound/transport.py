"""The guarded connection: an httpx transport whose network backend resolves each host
once, refuses internal addresses that are not allow-listed, and connects to the address
it checked.

The check sits where connections are made (httpcore's network backend), so it holds for
every request the client sends: the first one, each redirect hop the client follows
(a new host means a new connection, checked again), and every retry. TLS still verifies
the certificate for the URL's host name (SNI and the Host header are untouched: only
the socket's destination is pinned). Environment proxies are ignored (`trust_env` off):
a proxy would resolve the name itself, out of the guard's sight.
"""

from __future__ import annotations

import ssl
from functools import cache

import httpcore
import httpx

from flowline.core.outbound import addresses

# Redirects a client follows before giving up (each hop is checked again).
MAX_REDIRECTS = 5
# Without a timeout from the caller, no call waits longer than this.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's own socket backend, given checked addresses instead of a name."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options=None,
    ) -> httpcore.NetworkStream:
        try:
            checked = addresses.resolve(host, port)
        except addresses.Unresolvable as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        for index, address in enumerate(checked):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError:
                # Nothing was sent: the next checked address may answer.
                if index == len(checked) - 1:
                    raise
        raise httpcore.ConnectError(f"{host} has no address.")  # pragma: no cover

    def connect_unix_socket(self, *args, **kwargs):  # pragma: no cover
        raise httpcore.ConnectError("Unix sockets are not reachable from outbound calls.")


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool that uses the guarded backend."""

    def __init__(self, *, limits: httpx.Limits | None = None) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False)
        limits = limits or httpx.Limits(max_connections=20, max_keepalive_connections=10)
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(),
        )


def http_client(
    *,
    timeout: httpx.Timeout | float | None = None,
    follow_redirects: bool = False,
    max_redirects: int = MAX_REDIRECTS,
    **kwargs,
) -> httpx.Client:
    """An httpx.Client on the guarded transport (for SDKs that take one, like openai).

    Redirects are off unless asked for; when on, each hop is checked like the first
    request and at most `max_redirects` are followed. httpx drops the Authorization
    header when a redirect leaves the origin.
    """
    return httpx.Client(
        transport=GuardedTransport(),
        timeout=timeout if timeout is not None else DEFAULT_TIMEOUT,
        follow_redirects=follow_redirects,
        max_redirects=max_redirects,
        trust_env=False,
        **kwargs,
    )


@cache
def _ssl_context() -> ssl.SSLContext:
    # One context for every client: loading the CA bundle is the slow part of a client.
    return httpx.create_ssl_context(trust_env=False)
