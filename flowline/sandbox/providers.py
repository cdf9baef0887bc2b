"""The sandbox providers Flowline serves itself in sandbox mode, one instance per process.

Each is the same class the tests start as a local server (`flowline.sandbox.social`,
`flowline.sandbox.wordpress`), mounted under `FLOWLINE_SANDBOX_URL/<name>`. Their state
(tokens, posts, files, sessions, conversations, pushes) is saved after every change to
`FLOWLINE_SANDBOX_STATE_DIR/<name>.pickle` (var/sandbox/) and read back when a provider is
first used, so the sandbox survives a restart: the feed, the accounts connected to it,
the paid sessions are still there. Only the sign-in provider starts afresh (a sign-in
lasts a minute). The files are the installation's own, like var/secret-key.
"""

from __future__ import annotations

import logging
import os
import pickle
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from flowline.sandbox import mail
from flowline.sandbox.drives import fake_google, fake_microsoft, samples
from flowline.sandbox.drives.fake_google import FakeGoogleDrive
from flowline.sandbox.drives.fake_microsoft import FakeOneDrive
from flowline.sandbox.push.push_service import FakePushService
from flowline.sandbox.server import FakeServer
from flowline.sandbox.social import base as social_base
from flowline.sandbox.social.graph import FakeGraphAPI
from flowline.sandbox.social.linkedin import FakeLinkedIn
from flowline.sandbox.social.twitter import FakeXAPI
from flowline.sandbox.stripe import webhooks as stripe_webhooks
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

# The drives, for their consent page: Allow goes on to the provider's authorize endpoint.
DRIVES = {
    "google": {"label": "Google Drive", "authorize": "/o/oauth2/v2/auth"},
    "microsoft": {"label": "OneDrive", "authorize": "/common/oauth2/v2.0/authorize"},
}

# The identity the sandbox sign-in page (every social login provider) knows.
SANDBOX_IDENTITY = "sandbox.user@example.com"
SANDBOX_PASSWORD = "sandbox"

# The module-wide id sequences the providers draw from, saved with them.
SEQUENCES = {
    "social": social_base._ids,
    "google": fake_google._ids,
    "microsoft": fake_microsoft._ids,
    "stripe_events": stripe_webhooks._event_ids,
}
# Providers whose state is not kept across a restart.
NOT_SAVED = {"oidc"}

logger = logging.getLogger("flowline.sandbox")
_live: dict[str, FakeServer] = {}
_lock = threading.Lock()
_save_lock = threading.Lock()


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
            provider = factory(f"{settings.FLOWLINE_SANDBOX_URL}/{name}")
            if name not in NOT_SAVED:
                _load(name, provider)
                if isinstance(provider, FakeServer):
                    provider.on_change = lambda: save(name)
            _live[name] = provider
        return provider


def reset() -> None:
    """Drop the providers from memory, as a restart does (they are read back from their
    saved state, if any, when next used). Tests give each sandbox its own state dir."""
    with _lock:
        for provider in _live.values():
            if isinstance(provider, FakeServer):
                provider.release.set()  # let any held-back answer go
        _live.clear()
    mail.forget()


def _state_dir() -> Path | None:
    configured = getattr(settings, "FLOWLINE_SANDBOX_STATE_DIR", None)
    return Path(configured) if configured else None


def save(name: str) -> None:
    """Write provider `name`'s state (and the id sequences) to its file, whole: a crash
    mid-write leaves the previous state."""
    directory, provider = _state_dir(), _live.get(name)
    if directory is None or provider is None or name in NOT_SAVED:
        return
    with _save_lock:
        for _attempt in range(3):  # another request may be changing it meanwhile
            try:
                data = pickle.dumps(
                    {
                        "state": provider.snapshot(),
                        "sequences": {k: s.next_value for k, s in SEQUENCES.items()},
                    }
                )
                break
            except RuntimeError:
                continue
        else:
            logger.warning("Sandbox %s: state changing too fast to save", name)
            return
        directory.mkdir(parents=True, exist_ok=True)
        temporary = directory / f".{name}.pickle.tmp"
        temporary.write_bytes(data)
        os.replace(temporary, directory / f"{name}.pickle")


def _load(name: str, provider) -> None:
    directory = _state_dir()
    path = directory / f"{name}.pickle" if directory else None
    if path is None or not path.exists():
        return
    try:
        saved = pickle.loads(path.read_bytes())  # noqa: S301 (the installation's own file)
    except Exception:  # an older Flowline's format: start this provider afresh
        logger.warning("Sandbox %s: saved state unreadable, starting afresh", name)
        return
    provider.restore(saved["state"])
    for key, value in saved["sequences"].items():
        if key in SEQUENCES:
            SEQUENCES[key].advance_to(value)
