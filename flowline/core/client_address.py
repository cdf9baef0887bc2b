"""The client's address, the one every lockout, throttle and log uses.

`X-Forwarded-For` is a header anyone can send: believed from any peer, it lets a client
pick a new address (and a fresh lockout and rate-limit budget) on every request. It is
read only when the direct peer (`REMOTE_ADDR`) is one of `FLOWLINE_TRUSTED_PROXIES`
(addresses or CIDR networks, none by default). Then the header is walked from the right,
past every hop that is itself a trusted proxy, and the first address that is not one is
the client: hops to its left were written by the client and are never trusted.

`counted_address()` is what lockouts and rate limits count by: the address, except that an IPv6
client counts as its /64 network (one host usually owns a whole /64, so counting single
IPv6 addresses would let it rotate through billions of them).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Counted for a request with no usable peer address (a unix socket, an odd server): all
# such requests share one budget.
_UNKNOWN = "0.0.0.0"  # noqa: S104 (an address to count by, nothing binds to it)
_CACHED = "_flowline_client_address"


@lru_cache(maxsize=8)
def parse_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """`entries` (addresses or CIDRs) as networks; `ImproperlyConfigured` on a bad one."""
    networks = []
    for entry in entries:
        text = entry.strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"FLOWLINE_TRUSTED_PROXIES: {text!r} is not an address or a network."
            ) from exc
    return tuple(networks)


def trusted_proxies() -> tuple[Network, ...]:
    return parse_networks(tuple(getattr(settings, "FLOWLINE_TRUSTED_PROXIES", ()) or ()))


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:5123"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address: Address, proxies: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def resolve(remote_addr: str | None, forwarded_for: str | None) -> str | None:
    """The client address for a peer `remote_addr` that sent `forwarded_for`."""
    peer = _address(remote_addr or "")
    if peer is None:
        return None
    proxies = trusted_proxies()
    if not forwarded_for or not _trusted(peer, proxies):
        return str(peer)
    client = peer
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            break  # garbage in the chain: the last trusted hop is all we know
        client = address
        if not _trusted(address, proxies):
            break
    return str(client)


def client_address(request) -> str | None:
    """The address of the client that sent `request` (see the module docstring), or
    None when the server gave no usable peer address."""
    if not hasattr(request, _CACHED):
        meta = request.META
        setattr(
            request, _CACHED, resolve(meta.get("REMOTE_ADDR"), meta.get("HTTP_X_FORWARDED_FOR"))
        )
    return getattr(request, _CACHED)


def counted_address(request) -> str:
    """What per-address lockouts and rate limits count by: the IPv4 address, or the
    IPv6 client's /64 network (as its first address). django-axes' `AXES_CLIENT_IP_CALLABLE`."""
    address = ipaddress.ip_address(client_address(request) or _UNKNOWN)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)
