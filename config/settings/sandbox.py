"""Sandbox mode: outside services answered by Flowline's own sandbox providers.

`FLOWLINE_SANDBOX` is on by default in the embedded `make run` (FLOWLINE_EMBEDDED) and off
otherwise; production settings refuse it. When on, every integration that has no real
configuration is pointed at the providers Flowline serves under `<origin>/sandbox/`
(flowline/sandbox): the same fakes the tests use, speaking each service's real protocol
to Flowline's real client code. A setting given in the environment always wins.
"""

import base64
import hashlib
from urllib.parse import urlsplit

# The order of the P-256 curve: a private key is an integer in [1, N - 1].
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def origin_host_port(origin: str) -> str:
    """`host:port` of this server's own origin, as FLOWLINE_ALLOWED_PRIVATE_HOSTS lists it."""
    parts = urlsplit(origin)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname}:{port}"


def vapid_private_key(secret_key: str) -> str:
    """The installation's own VAPID key (base64url raw P-256 private value), derived from
    its SECRET_KEY: Web Push works on a fresh install, and stays the same key across
    restarts, so the browsers subscribed before one still receive."""
    seed = hashlib.sha256(b"flowline-sandbox-vapid:" + secret_key.encode()).digest()
    value = int.from_bytes(seed, "big") % (_P256_ORDER - 1) + 1
    return base64.urlsafe_b64encode(value.to_bytes(32, "big")).rstrip(b"=").decode()


def provider_settings(origin: str) -> dict:
    """The settings that point each integration at the sandbox providers of `origin`."""
    # Imported here: the providers' modules are plain Python (no Django at import time).
    from flowline.sandbox.drives import oauth as drive_oauth
    from flowline.sandbox.oidc import wiring
    from flowline.sandbox.social import graph, linkedin, twitter
    from flowline.sandbox.stripe import fake_stripe, webhooks

    origin = origin.rstrip("/")
    root = f"{origin}/sandbox"
    return {
        "FLOWLINE_SANDBOX_URL": root,
        # Where platforms send the browser back after consent: the console's page.
        "SOCIAL_OAUTH_REDIRECT_URI": f"{origin}/social/connected/",
        "SOCIAL_FACEBOOK_APP_ID": graph.APP_ID,
        "SOCIAL_FACEBOOK_APP_SECRET": graph.APP_SECRET,
        "SOCIAL_GRAPH_API_BASE": f"{root}/graph/v21.0",
        "SOCIAL_FACEBOOK_AUTH_URL": f"{root}/consent/graph/",
        "SOCIAL_TWITTER_CLIENT_ID": twitter.CLIENT_ID,
        "SOCIAL_TWITTER_CLIENT_SECRET": twitter.CLIENT_SECRET,
        "SOCIAL_TWITTER_AUTH_URL": f"{root}/consent/x/",
        "SOCIAL_TWITTER_API_BASE": f"{root}/x",
        "SOCIAL_LINKEDIN_CLIENT_ID": linkedin.CLIENT_ID,
        "SOCIAL_LINKEDIN_CLIENT_SECRET": linkedin.CLIENT_SECRET,
        "SOCIAL_LINKEDIN_AUTH_URL": f"{root}/consent/linkedin/",
        "SOCIAL_LINKEDIN_TOKEN_URL": f"{root}/linkedin/oauth/v2/accessToken",
        "SOCIAL_LINKEDIN_API_BASE": f"{root}/linkedin",
        # Drives: a consent page, then Google's and Microsoft's OAuth and file APIs, each
        # with a folder of sample files; the browser returns to the console's page, which
        # completes the API's callback (or reports a Cancel) and goes back where it began.
        "DRIVE_OAUTH_REDIRECT_URI": f"{origin}/drives/connected/",
        "DRIVE_GOOGLE_CLIENT_ID": drive_oauth.CLIENT_ID,
        "DRIVE_GOOGLE_CLIENT_SECRET": drive_oauth.CLIENT_SECRET,
        "DRIVE_GOOGLE_AUTH_URL": f"{root}/consent/google/",
        "DRIVE_GOOGLE_TOKEN_URL": f"{root}/google/token",
        "DRIVE_GOOGLE_API_BASE": f"{root}/google",
        "DRIVE_MICROSOFT_CLIENT_ID": drive_oauth.CLIENT_ID,
        "DRIVE_MICROSOFT_CLIENT_SECRET": drive_oauth.CLIENT_SECRET,
        "DRIVE_MICROSOFT_AUTH_URL": f"{root}/consent/microsoft/",
        "DRIVE_MICROSOFT_TOKEN_URL": f"{root}/microsoft/common/oauth2/v2.0/token",
        "DRIVE_MICROSOFT_API_BASE": f"{root}/microsoft",
        # Social login: every provider played by one local OpenID Connect server.
        "SOCIAL_LOGIN_PROVIDERS": {
            p: wiring.provider_settings(f"{root}/oidc", p) for p in wiring.PROVIDERS
        },
        # Meta chat: the sandbox customer's messages arrive as webhooks signed with this.
        "META_APP_SECRET": graph.APP_SECRET,
        "META_WEBHOOK_VERIFY_TOKEN": "flowline-sandbox",
        # Stripe: the API, its Checkout page (/sandbox/checkout/) and signed webhooks.
        "STRIPE_SECRET_KEY": fake_stripe.API_KEY,
        "STRIPE_WEBHOOK_SECRET": webhooks.WEBHOOK_SECRET,
        "STRIPE_API_BASE": f"{root}/stripe",
    }


# The credential each integration is "configured" by: a real one in the environment means
# that integration talks to the real service, and its sandbox settings are not applied.
CONFIGURED_BY = {
    "SOCIAL_FACEBOOK_": "SOCIAL_FACEBOOK_APP_ID",
    "SOCIAL_GRAPH_": "SOCIAL_FACEBOOK_APP_ID",
    "SOCIAL_TWITTER_": "SOCIAL_TWITTER_CLIENT_ID",
    "SOCIAL_LINKEDIN_": "SOCIAL_LINKEDIN_CLIENT_ID",
    "STRIPE_": "STRIPE_SECRET_KEY",
    "META_": "META_APP_SECRET",
    "DRIVE_GOOGLE_": "DRIVE_GOOGLE_CLIENT_ID",
    "DRIVE_MICROSOFT_": "DRIVE_MICROSOFT_CLIENT_ID",
}


def unconfigured_overrides(origin: str, current: dict) -> dict:
    """`provider_settings(origin)` for the integrations `current` leaves unconfigured."""
    chosen = {}
    for name, value in provider_settings(origin).items():
        key = next((k for p, k in CONFIGURED_BY.items() if name.startswith(p)), None)
        if key is not None and current.get(key):
            continue
        if name.endswith("_OAUTH_REDIRECT_URI") and current.get(name):
            continue
        if name == "SOCIAL_LOGIN_PROVIDERS":  # per provider: a real client id wins
            configured = current.get(name) or {}
            value = {
                p: configured[p] if (configured.get(p) or {}).get("client_id") else v
                for p, v in value.items()
            }
        chosen[name] = value
    if not current.get("VAPID_PRIVATE_KEY") and current.get("SECRET_KEY"):
        # Web Push: pushes signed with the installation's key, to any push service (the
        # sandbox's at /sandbox/push/ or a real browser's).
        chosen["VAPID_PRIVATE_KEY"] = vapid_private_key(current["SECRET_KEY"])
        chosen["VAPID_PUBLIC_KEY"] = ""  # derived from it
    return chosen
