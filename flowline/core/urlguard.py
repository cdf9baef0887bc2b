"""URLs users give (AI providers, webhooks, push services, WordPress, media) are checked
when they are saved, so a bad one is a clear 400 at once.

`check()` refuses what is not an http(s) URL and a host that resolves to an internal
address not on FLOWLINE_ALLOWED_PRIVATE_HOSTS (400 `forbidden_url`). A name that does
not resolve at the moment is accepted: it may not exist yet, and what counts is the
check made at every use. That one is not here: every outbound request goes through
`core.outbound`, whose transport resolves the host once, applies the same rules and
connects to the address it checked (`core.outbound.addresses`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flowline.core.errors import ApplicationError
from flowline.core.outbound import addresses
from flowline.core.outbound.errors import ForbiddenURL


def check(url: str, *, field: str = "base_url") -> None:
    """Raise ApplicationError when `url` is malformed or points at an internal address."""
    parts = _parts(url, field)
    try:
        addresses.resolve(parts.hostname, _port(parts))
    except addresses.Unresolvable:
        return
    except ForbiddenURL as exc:
        errors = {field: ["Internal addresses are not allowed."]}
        raise ForbiddenURL(exc.message, errors=errors) from exc


def allow_listed(url: str) -> bool:
    """Whether the URL's `host:port` is on FLOWLINE_ALLOWED_PRIVATE_HOSTS."""
    parts = _parts(url, "url")
    return (addresses.normalise_host(parts.hostname), _port(parts)) in (
        addresses.allowed_private_hosts()
    )


def host_port(url: str) -> str:
    """The `host:port` of an http(s) URL as FLOWLINE_ALLOWED_PRIVATE_HOSTS lists it."""
    parts = _parts(url, "url")
    host = addresses.normalise_host(parts.hostname)
    return f"[{host}]:{_port(parts)}" if ":" in host else f"{host}:{_port(parts)}"


def _port(parts) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def _parts(url: str, field: str):
    parts = urlsplit(url)
    try:
        hostname = parts.hostname
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        hostname = None
    if parts.scheme not in ("http", "https") or not hostname:
        raise ApplicationError("Enter an http(s) URL.", errors={field: ["Enter an http(s) URL."]})
    return parts
