"""Social: accounts and platform adapters, posts and their scheduler, campaigns, social login."""

import environ

env = environ.Env()

# --- Social accounts (flowline.social) ---------------------------------------------------
# Where platforms send the user back after consent (must match each OAuth client exactly).
SOCIAL_OAUTH_REDIRECT_URI = env.str("SOCIAL_OAUTH_REDIRECT_URI", default="")
# Seconds a connect attempt (its state and PKCE verifier) stays valid.
SOCIAL_OAUTH_STATE_MAX_AGE = env.int("SOCIAL_OAUTH_STATE_MAX_AGE", default=600)
# Meta (Facebook pages, Instagram business, WhatsApp Business): one app, Graph API.
SOCIAL_FACEBOOK_APP_ID = env.str("SOCIAL_FACEBOOK_APP_ID", default="")
SOCIAL_FACEBOOK_APP_SECRET = env.str("SOCIAL_FACEBOOK_APP_SECRET", default="")
SOCIAL_GRAPH_API_BASE = env.str("SOCIAL_GRAPH_API_BASE", default="https://graph.facebook.com/v21.0")
SOCIAL_FACEBOOK_AUTH_URL = env.str(
    "SOCIAL_FACEBOOK_AUTH_URL", default="https://www.facebook.com/v21.0/dialog/oauth"
)
# X (Twitter): OAuth 2.0 with PKCE; confidential client (id + secret).
SOCIAL_TWITTER_CLIENT_ID = env.str("SOCIAL_TWITTER_CLIENT_ID", default="")
SOCIAL_TWITTER_CLIENT_SECRET = env.str("SOCIAL_TWITTER_CLIENT_SECRET", default="")
SOCIAL_TWITTER_AUTH_URL = env.str(
    "SOCIAL_TWITTER_AUTH_URL", default="https://twitter.com/i/oauth2/authorize"
)
SOCIAL_TWITTER_API_BASE = env.str("SOCIAL_TWITTER_API_BASE", default="https://api.x.com")
# LinkedIn: OAuth 2.0 (3-legged), REST API with a version header.
SOCIAL_LINKEDIN_CLIENT_ID = env.str("SOCIAL_LINKEDIN_CLIENT_ID", default="")
SOCIAL_LINKEDIN_CLIENT_SECRET = env.str("SOCIAL_LINKEDIN_CLIENT_SECRET", default="")
SOCIAL_LINKEDIN_AUTH_URL = env.str(
    "SOCIAL_LINKEDIN_AUTH_URL", default="https://www.linkedin.com/oauth/v2/authorization"
)
SOCIAL_LINKEDIN_TOKEN_URL = env.str(
    "SOCIAL_LINKEDIN_TOKEN_URL", default="https://www.linkedin.com/oauth/v2/accessToken"
)
SOCIAL_LINKEDIN_API_BASE = env.str("SOCIAL_LINKEDIN_API_BASE", default="https://api.linkedin.com")
SOCIAL_LINKEDIN_VERSION = env.str("SOCIAL_LINKEDIN_VERSION", default="202411")
# Seconds per platform call (read) and to connect; a read timeout on a publishing call is
# an unknown outcome, never a blind retry.
SOCIAL_HTTP_TIMEOUT = env.float("SOCIAL_HTTP_TIMEOUT", default=20.0)
SOCIAL_HTTP_CONNECT_TIMEOUT = env.float("SOCIAL_HTTP_CONNECT_TIMEOUT", default=5.0)
# Refresh tokens this long before they expire (seconds); back off this long after a
# transient refresh failure, doubling per failure.
SOCIAL_REFRESH_AHEAD = env.int("SOCIAL_REFRESH_AHEAD", default=3 * 24 * 3600)
SOCIAL_REFRESH_RETRY = env.int("SOCIAL_REFRESH_RETRY", default=30)
# Largest media file fetched to upload to X or LinkedIn (bytes).
SOCIAL_MAX_MEDIA_BYTES = env.int("SOCIAL_MAX_MEDIA_BYTES", default=15 * 1024 * 1024)

# --- Posts and their scheduler (flowline.posts) --------------------------------------------
# How often beat sweeps for due posts (seconds); a sweep stops claiming after SWEEP seconds.
FLOWLINE_POSTS_TICK_SECONDS = env.float("FLOWLINE_POSTS_TICK_SECONDS", default=5.0)
FLOWLINE_POSTS_SWEEP_SECONDS = env.float("FLOWLINE_POSTS_SWEEP_SECONDS", default=25.0)
# A post first found this long (seconds) after its time is marked missed, not sent late.
FLOWLINE_POSTS_MISSED_AFTER = env.int("FLOWLINE_POSTS_MISSED_AFTER", default=3600)
# Sends per target before a transient failure becomes final.
FLOWLINE_POSTS_MAX_ATTEMPTS = env.int("FLOWLINE_POSTS_MAX_ATTEMPTS", default=5)
# A claim older than this (seconds) belongs to a dead worker and is settled with
# find_published; keep it well above SOCIAL_HTTP_TIMEOUT + SOCIAL_HTTP_CONNECT_TIMEOUT.
FLOWLINE_POSTS_LEASE_SECONDS = env.int("FLOWLINE_POSTS_LEASE_SECONDS", default=30)
# Seconds before an unknown outcome (sent, no answer) is looked up on the platform.
FLOWLINE_POSTS_SETTLE_SECONDS = env.int("FLOWLINE_POSTS_SETTLE_SECONDS", default=30)
# Shortest wait before a retry (seconds), whatever the backoff draws.
FLOWLINE_POSTS_MIN_RETRY_SECONDS = env.float("FLOWLINE_POSTS_MIN_RETRY_SECONDS", default=2.0)
# Published posts' metrics are fetched again after this many seconds, for this many days.
FLOWLINE_POSTS_METRICS_SECONDS = env.int("FLOWLINE_POSTS_METRICS_SECONDS", default=900)
FLOWLINE_POSTS_METRICS_DAYS = env.int("FLOWLINE_POSTS_METRICS_DAYS", default=30)
# Rows one CSV import may carry.
FLOWLINE_POSTS_IMPORT_MAX_ROWS = env.int("FLOWLINE_POSTS_IMPORT_MAX_ROWS", default=500)

# Periodic tasks of these apps; base.py merges them into CELERY_BEAT_SCHEDULE.
SOCIAL_BEAT_SCHEDULE: dict = {
    "social-refresh-tokens": {"task": "social.refresh_tokens", "schedule": 15 * 60},
    "campaigns-advance": {"task": "campaigns.advance", "schedule": 60},
    "posts-publish-due": {"task": "posts.publish_due", "schedule": FLOWLINE_POSTS_TICK_SECONDS},
    "posts-fetch-metrics": {"task": "posts.fetch_metrics", "schedule": 300.0},
}

# --- Social login (flowline.identity.social_login, through django-allauth) -----------------
# Where providers send the browser back (registered exactly at each provider): a frontend
# page that posts `code` and `state` to /api/v1/social/auth/callback/, or that endpoint
# itself. Empty: FRONTEND_URL + /auth/social/callback.
SOCIAL_LOGIN_REDIRECT_URI = env.str("SOCIAL_LOGIN_REDIRECT_URI", default="")
# Seconds a sign-in attempt (its state, PKCE verifier and nonce) stays valid.
SOCIAL_LOGIN_STATE_MAX_AGE = env.int("SOCIAL_LOGIN_STATE_MAX_AGE", default=600)
# One OAuth client per provider; a provider without a client id is switched off. The URLs
# default to the real services and can point at a self-hosted or local provider.
SOCIAL_LOGIN_PROVIDERS = {
    "google": {
        "client_id": env.str("SOCIAL_LOGIN_GOOGLE_CLIENT_ID", default=""),
        "secret": env.str("SOCIAL_LOGIN_GOOGLE_SECRET", default=""),
        "server_url": env.str(
            "SOCIAL_LOGIN_GOOGLE_SERVER_URL", default="https://accounts.google.com"
        ),
    },
    "microsoft": {
        "client_id": env.str("SOCIAL_LOGIN_MICROSOFT_CLIENT_ID", default=""),
        "secret": env.str("SOCIAL_LOGIN_MICROSOFT_SECRET", default=""),
        "tenant": env.str("SOCIAL_LOGIN_MICROSOFT_TENANT", default="common"),
        "login_url": env.str(
            "SOCIAL_LOGIN_MICROSOFT_LOGIN_URL", default="https://login.microsoftonline.com"
        ),
        "graph_url": env.str(
            "SOCIAL_LOGIN_MICROSOFT_GRAPH_URL", default="https://graph.microsoft.com"
        ),
        # Entra ID does not verify `mail`: trust it only for tenants you control.
        "verified_email": env.bool("SOCIAL_LOGIN_MICROSOFT_TRUST_EMAIL", default=False),
    },
    "apple": {
        "client_id": env.str("SOCIAL_LOGIN_APPLE_CLIENT_ID", default=""),  # the Services ID
        "secret": env.str("SOCIAL_LOGIN_APPLE_SECRET", default=""),
        "team_id": env.str("SOCIAL_LOGIN_APPLE_TEAM_ID", default=""),
        "key_id": env.str("SOCIAL_LOGIN_APPLE_KEY_ID", default=""),
        # The .p8 key's PEM; "\n" in the variable stands for a line break.
        "private_key": env.str("SOCIAL_LOGIN_APPLE_PRIVATE_KEY", default="", multiline=True),
        "server_url": env.str("SOCIAL_LOGIN_APPLE_SERVER_URL", default="https://appleid.apple.com"),
    },
    "github": {
        "client_id": env.str("SOCIAL_LOGIN_GITHUB_CLIENT_ID", default=""),
        "secret": env.str("SOCIAL_LOGIN_GITHUB_SECRET", default=""),
        "url": env.str("SOCIAL_LOGIN_GITHUB_URL", default="https://github.com"),
        "api_url": env.str("SOCIAL_LOGIN_GITHUB_API_URL", default="https://api.github.com"),
    },
    "facebook": {
        "client_id": env.str("SOCIAL_LOGIN_FACEBOOK_CLIENT_ID", default=""),
        "secret": env.str("SOCIAL_LOGIN_FACEBOOK_SECRET", default=""),
        "authorize_url": env.str(
            "SOCIAL_LOGIN_FACEBOOK_AUTHORIZE_URL",
            default="https://www.facebook.com/v21.0/dialog/oauth",
        ),
        "verified_email": env.bool("SOCIAL_LOGIN_FACEBOOK_TRUST_EMAIL", default=False),
    },
}
# allauth's Facebook profile calls read the Graph URL once, at import.
SOCIALACCOUNT_PROVIDERS = {
    "facebook": {
        "GRAPH_API_URL": env.str(
            "SOCIAL_LOGIN_FACEBOOK_GRAPH_URL", default="https://graph.facebook.com/v21.0"
        )
    }
}
SOCIALACCOUNT_ADAPTER = "flowline.identity.social_login.providers.SocialAccountAdapter"
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("SOCIAL_LOGIN_HTTP_TIMEOUT", default=10)
# Flowline signs users in itself; allauth's account app only needs to know the user model.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
