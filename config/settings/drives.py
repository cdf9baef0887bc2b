"""Cloud drives (Google Drive, OneDrive): OAuth clients, endpoints, limits."""

import environ

env = environ.Env()

# Where the provider sends the user back after consent (must match the OAuth client exactly).
DRIVE_OAUTH_REDIRECT_URI = env.str("DRIVE_OAUTH_REDIRECT_URI", default="")
# Seconds a connect attempt (its state and PKCE verifier) stays valid.
DRIVE_OAUTH_STATE_MAX_AGE = env.int("DRIVE_OAUTH_STATE_MAX_AGE", default=600)

DRIVE_GOOGLE_CLIENT_ID = env.str("DRIVE_GOOGLE_CLIENT_ID", default="")
DRIVE_GOOGLE_CLIENT_SECRET = env.str("DRIVE_GOOGLE_CLIENT_SECRET", default="")
DRIVE_GOOGLE_SCOPES = env.str(
    "DRIVE_GOOGLE_SCOPES", default="https://www.googleapis.com/auth/drive.readonly"
)
DRIVE_GOOGLE_AUTH_URL = env.str(
    "DRIVE_GOOGLE_AUTH_URL", default="https://accounts.google.com/o/oauth2/v2/auth"
)
DRIVE_GOOGLE_TOKEN_URL = env.str(
    "DRIVE_GOOGLE_TOKEN_URL", default="https://oauth2.googleapis.com/token"
)
DRIVE_GOOGLE_API_BASE = env.str("DRIVE_GOOGLE_API_BASE", default="https://www.googleapis.com")

DRIVE_MICROSOFT_CLIENT_ID = env.str("DRIVE_MICROSOFT_CLIENT_ID", default="")
DRIVE_MICROSOFT_CLIENT_SECRET = env.str("DRIVE_MICROSOFT_CLIENT_SECRET", default="")
DRIVE_MICROSOFT_SCOPES = env.str(
    "DRIVE_MICROSOFT_SCOPES", default="offline_access User.Read Files.Read.All"
)
DRIVE_MICROSOFT_AUTH_URL = env.str(
    "DRIVE_MICROSOFT_AUTH_URL",
    default="https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
)
DRIVE_MICROSOFT_TOKEN_URL = env.str(
    "DRIVE_MICROSOFT_TOKEN_URL",
    default="https://login.microsoftonline.com/common/oauth2/v2.0/token",
)
DRIVE_MICROSOFT_API_BASE = env.str(
    "DRIVE_MICROSOFT_API_BASE", default="https://graph.microsoft.com"
)

# Seconds per call to a provider; refresh tokens this many seconds before they expire.
DRIVE_HTTP_TIMEOUT = env.float("DRIVE_HTTP_TIMEOUT", default=20.0)
DRIVE_REFRESH_MARGIN = env.int("DRIVE_REFRESH_MARGIN", default=120)
# Items per provider page, and the most items one folder listing gathers.
DRIVE_PAGE_SIZE = env.int("DRIVE_PAGE_SIZE", default=200)
DRIVE_MAX_LIST_ITEMS = env.int("DRIVE_MAX_LIST_ITEMS", default=5000)
# Largest download (bytes); bigger files are refused (413) instead of filling memory.
DRIVE_MAX_DOWNLOAD_BYTES = env.int("DRIVE_MAX_DOWNLOAD_BYTES", default=50 * 1024 * 1024)
