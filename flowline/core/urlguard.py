"""URLs users give (AI providers, webhooks, push services, WordPress) must not reach
internal networks in production.

With FLOWLINE_BLOCK_PRIVATE_URLS on, a base URL whose host resolves to a loopback,
link-local, private or reserved address is refused, when saved and again when used.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from flowline.core.errors import ApplicationError


def check(url: str, *, field: str = "base_url") -> None:
    """Raise ApplicationError when `url` is malformed or, in production, internal."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ApplicationError("Enter an http(s) URL.", errors={field: ["Enter an http(s) URL."]})
    if not settings.FLOWLINE_BLOCK_PRIVATE_URLS:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise ApplicationError(
            "The host name does not resolve.", errors={field: ["Unknown host."]}
        ) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise ApplicationError(
                "This URL points at an internal network address.",
                code="forbidden_url",
                errors={field: ["Internal addresses are not allowed."]},
            )
