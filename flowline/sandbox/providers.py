"""The sandbox providers Flowline serves itself in sandbox mode, one instance per process.

Each is the same class the tests start as a local server (`flowline.sandbox.social`,
`flowline.sandbox.wordpress`), mounted under `FLOWLINE_SANDBOX_URL/<name>`. Their state
(tokens, posts) lives in memory: a restart is a fresh sandbox, and accounts connected
before it are asked to reconnect, as after a revoked token.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings

from flowline.sandbox.drives import samples
from flowline.sandbox.drives.fake_google import FakeGoogleDrive
from flowline.sandbox.drives.fake_microsoft import FakeOneDrive
from flowline.sandbox.push.push_service import FakePushService
from flowline.sandbox.server import FakeServer
from flowline.sandbox.social.graph import FakeGraphAPI
from flowline.sandbox.social.linkedin import FakeLinkedIn
from flowline.sandbox.social.twitter import FakeXAPI
from flowline.sandbox.stripe.fake_stripe import FakeStripe
from flowline.sandbox.wordpress.fake_wordpress import FakeWordPress


def _mounted(cls: type[FakeServer]) -> Callable[[str], FakeServer]:
    def make(root: str) -> FakeServer:
        provider = cls().mount(root)
        # A scripted "lost answer" holds the request until the client has given up.
        provider.hang_seconds = settings.SOCIAL_HTTP_TIMEOUT + 1
        return provider

    return make


def _graph(root: str) -> FakeGraphAPI:
    graph = _mounted(FakeGraphAPI)(root)
    graph.add_page()  # "Acme Store", with its Instagram business account
    graph.add_whatsapp_number()
    graph.customer_log = []  # what the sandbox customer sent (views.CustomerPage)
    return graph


def _drive(cls) -> Callable[[str], FakeServer]:
    def make(root: str) -> FakeServer:
        drive = _mounted(cls)(root)
        samples.seed(drive)
        return drive

    return make


def _oidc(root: str):
    # Imported on first use: Authlib's server is only needed once someone signs in.
    from flowline.sandbox.oidc.oidc_provider import LocalOIDCProvider, ProviderUser

    callback = settings.SOCIAL_LOGIN_REDIRECT_URI or (
        f"{settings.FRONTEND_URL.rstrip('/')}/auth/social/callback"
    )
    user = ProviderUser(
        SANDBOX_IDENTITY, password=SANDBOX_PASSWORD, given_name="Sandbox", family_name="User"
    )
    provider = LocalOIDCProvider(users=[user], redirect_uris=[callback])
    provider.url = root  # served by views.oidc_provider, not by its own server
    return provider


def _stripe(root: str) -> FakeStripe:
    # Checkout Sessions send the payer to the sandbox's checkout page.
    return FakeStripe(checkout_root=f"{settings.FLOWLINE_SANDBOX_URL}/checkout")


# name in the URL -> how to make the provider at its root (with its sample data)
FACTORIES: dict[str, Callable[[str], object]] = {
    "graph": _graph,
    "x": _mounted(FakeXAPI),
    "linkedin": _mounted(FakeLinkedIn),
    "wordpress": _mounted(FakeWordPress),
    "stripe": _stripe,
    "oidc": _oidc,
    "google": _drive(FakeGoogleDrive),
    "microsoft": _drive(FakeOneDrive),
    "push": _mounted(FakePushService),
}
# The platform each social provider plays, for the consent page and the feed.
SOCIAL = {
    "graph": {"label": "Facebook & Instagram", "authorize": "/v21.0/dialog/oauth"},
    "x": {"label": "X", "authorize": "/i/oauth2/authorize"},
    "linkedin": {"label": "LinkedIn", "authorize": "/oauth/v2/authorization"},
}

# The identity the sandbox sign-in page (every social login provider) knows.
SANDBOX_IDENTITY = "sandbox.user@example.com"
SANDBOX_PASSWORD = "sandbox"

_live: dict[str, FakeServer] = {}
_lock = threading.Lock()


def enabled() -> bool:
    return bool(settings.FLOWLINE_SANDBOX and settings.FLOWLINE_SANDBOX_URL)


def get(name: str):
    """The running provider called `name` (made on first use), None if there is none."""
    factory = FACTORIES.get(name)
    if factory is None:
        return None
    with _lock:
        provider = _live.get(name)
        if provider is None:
            provider = _live[name] = factory(f"{settings.FLOWLINE_SANDBOX_URL}/{name}")
        return provider


def reset() -> None:
    """Forget every provider's state (tests; a sandbox started afresh)."""
    with _lock:
        for provider in _live.values():
            if isinstance(provider, FakeServer):
                provider.release.set()  # let any held-back answer go
        _live.clear()
