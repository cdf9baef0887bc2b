"""Where Flowline's social login finds the local OpenID Connect provider (no imports of the
server itself, so settings can use it)."""

CLIENT_ID = "flowline-local-client"
CLIENT_SECRET = "flowline-local-secret"
PROVIDERS = ("google", "apple", "microsoft", "github", "facebook")


def provider_settings(url: str, provider: str) -> dict:
    """One entry of SOCIAL_LOGIN_PROVIDERS pointing `provider` at the server at `url`."""
    base = {"client_id": CLIENT_ID, "secret": CLIENT_SECRET}
    return {
        "google": {**base, "server_url": url},
        "apple": {**base, "server_url": url},
        "microsoft": {
            **base,
            "tenant": "common",
            "login_url": url,
            "graph_url": url,
            "verified_email": False,
        },
        "github": {**base, "url": url, "api_url": f"{url}/api/v3"},
        "facebook": {**base, "authorize_url": f"{url}/dialog/oauth"},
    }[provider]
