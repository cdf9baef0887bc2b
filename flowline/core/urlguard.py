"""URLs users give (AI providers, webhooks, push services, WordPress) must not reach
internal networks in production.

With FLOWLINE_BLOCK_PRIVATE_URLS on, a URL whose host resolves to any loopback,
link-local, private, shared (CGNAT), multicast, reserved or unspecified address is
refused, when saved and again when used. IPv6 forms that carry an IPv4 address
(IPv4-mapped `::ffff:a.b.c.d`, 6to4 `2002::/16`, NAT64 `64:ff9b::/96`, Teredo) are
judged by the IPv4 address inside. Callers that then connect should connect to the
addresses `public_addresses()` returned, not resolve the name again: a host can be
re-pointed between the check and the connection (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from flowline.core.errors import ApplicationError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def check(url: str, *, field: str = "base_url") -> None:
    """Raise ApplicationError when `url` is malformed or, in production, internal."""
    _parts(url, field)
    if settings.FLOWLINE_BLOCK_PRIVATE_URLS:
        public_addresses(url, field=field)


def public_addresses(url: str, *, field: str = "base_url") -> list[str]:
    """Resolve the URL's host; every address it resolves to must be public.

    Returns the addresses (as strings, in resolver order) so the caller can connect to
    one of them instead of resolving again. Raises ApplicationError (`forbidden_url`)
    for an internal address and for a host that does not resolve.
    """
    parts = _parts(url, field)
    try:
        infos = socket.getaddrinfo(
            parts.hostname,
            parts.port or (443 if parts.scheme == "https" else 80),
            proto=socket.IPPROTO_TCP,
        )
    except (socket.gaierror, UnicodeError) as exc:
        raise ApplicationError(
            "The host name does not resolve.", errors={field: ["Unknown host."]}
        ) from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for text in addresses:
        if not is_public(ipaddress.ip_address(text.split("%", 1)[0])):
            raise ApplicationError(
                "This URL points at an internal network address.",
                code="forbidden_url",
                errors={field: ["Internal addresses are not allowed."]},
            )
    return addresses


def is_public(address: IPAddress) -> bool:
    """True for an address on the public internet, judged by any IPv4 it embeds."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # (server, client): the client is where packets go
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


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
