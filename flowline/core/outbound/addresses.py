"""Which addresses Flowline may connect to.

Public internet addresses, always. Loopback, link-local, private, shared (CGNAT),
multicast, reserved and unspecified addresses only when the target's `host:port` is on
FLOWLINE_ALLOWED_PRIVATE_HOSTS (a self-hosted model server, a WordPress on the LAN);
there is no switch that turns the guard off. An entry matches the host as the URL
writes it (`ollama.internal:11434`) or an address it resolves to (`10.0.0.7:11434`).

IPv6 forms that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, 6to4 `2002::/16`,
NAT64 `64:ff9b::/96`, Teredo) are judged, and matched, by the IPv4 address inside.

`resolve()` looks the name up once and checks every address; the transport then
connects to those addresses and never resolves the name again, so a host re-pointed
between the check and the connection (DNS rebinding) gains nothing.
"""

from __future__ import annotations

import ipaddress
import socket

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from flowline.core.outbound.errors import ForbiddenURL

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Unresolvable(OSError):
    """The name has no address (or the resolver failed)."""


def resolve(host: str, port: int) -> list[str]:
    """The addresses of `host` (in resolver order), each one allowed; raises ForbiddenURL
    when any of them is internal and not allow-listed, Unresolvable when there is none."""
    name = normalise_host(host)
    try:
        infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unresolvable(f"{host} does not resolve: {exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]).split("%", 1)[0] for info in infos))
    if not addresses:
        raise Unresolvable(f"{host} does not resolve.")
    allowed = allowed_private_hosts()
    for text in addresses:
        address = ipaddress.ip_address(text)
        if is_public(address):
            continue
        if (name, port) in allowed or (canonical(address), port) in allowed:
            continue
        raise ForbiddenURL(
            f"{host}:{port} is an internal network address "
            "(it is not on FLOWLINE_ALLOWED_PRIVATE_HOSTS).",
            errors={"url": ["Internal addresses are not allowed."]},
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


def allowed_private_hosts() -> set[tuple[str, int]]:
    """FLOWLINE_ALLOWED_PRIVATE_HOSTS as (host, port) pairs, hosts normalised."""
    return {parse_entry(entry) for entry in settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS if entry}


def parse_entry(entry: str) -> tuple[str, int]:
    """`host:port`, `10.0.0.7:8080` or `[fd00::7]:8080` as (host, port)."""
    text = entry.strip()
    host, sep, port = text.rpartition(":")
    if text.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:  # an IPv6 address without brackets: its last group is no port
        sep = ""
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ImproperlyConfigured(
            f"FLOWLINE_ALLOWED_PRIVATE_HOSTS: {entry!r} is not host:port "
            "(write IPv6 addresses as [address]:port)."
        )
    return normalise_host(host), int(port)


def normalise_host(host: str) -> str:
    """Lower case, no brackets or trailing dot; an IP literal in its canonical form."""
    host = host.strip().strip("[]").rstrip(".").lower()
    try:
        return canonical(ipaddress.ip_address(host))
    except ValueError:
        return host


def canonical(address: IPAddress) -> str:
    """An address as the allow-list compares it: the IPv4 inside an IPv6 form, if any."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return str(embedded)
    return str(address)


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
