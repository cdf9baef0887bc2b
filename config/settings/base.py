"""Flowline settings, read from the environment (12-factor).

Defaults are the embedded mode: SQLite, local-memory cache, console email, no external
service. SECRET_KEY is required, except in the embedded `make run` (FLOWLINE_EMBEDDED),
which makes one per installation in the var directory. `production.py` also requires
ALLOWED_HOSTS and enforces HTTPS.
"""

from datetime import timedelta
from pathlib import Path

import environ

from config.secret_key import secret_key

BASE_DIR = Path(__file__).resolve().parents[2]
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("FLOWLINE_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = secret_key(env, VAR_DIR)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    "x-csrf-token",
    "x-request-id",
    "idempotency-key",
)
# Where e-mailed and redirected links land: Flowline's own console by default. Point it at
# another frontend (a seed's app, say) to send people there instead.
FRONTEND_URL = env.str("FRONTEND_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    # Social login (identity.social_login): providers, profiles and links from allauth.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.facebook",
    "flowline.core",
    "flowline.sandbox",
    "flowline.identity",
    "flowline.reference",
    "flowline.sites",
    "flowline.billing",
    "flowline.system",
    "flowline.ai",
    "flowline.jobs",
    "flowline.realtime",
    "flowline.chat",
    "flowline.agents",
    "flowline.webhooks",
    "flowline.commerce",
    "flowline.notifications",
    "flowline.drives",
    "flowline.analytics",
    "flowline.planner",
    "flowline.writer",
    "flowline.integration",
    "flowline.optimizer",
    "flowline.automation",
    "flowline.social",
    "flowline.posts",
    "flowline.campaigns",
    # The web console: its home page and the root of every app's pages (last: it mounts at /).
    "flowline.console",
]

MIDDLEWARE = [
    "flowline.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "flowline.core.middleware.BodySizeLimitMiddleware",
    "flowline.core.middleware.TenantContextMiddleware",
    # Inside the tenant context, so it knows the account a request authenticated as.
    "flowline.system.request_metrics.RequestMetricsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # allauth reads the current request from here (e.g. Microsoft's tenant URLs).
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "flowline.identity.middleware.ApiKeyUsageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Console pages sign in with the API's cookie authentication (flowline.core.pages.auth).
FLOWLINE_PAGE_AUTHENTICATION = "flowline.identity.authentication.TokenAuthentication"
# Flash messages of the console live in a cookie, not in a database session.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite file by default, DATABASE_URL for PostgreSQL.
# Web requests run on a fixed pool of long-lived threads (flowline.core.asgi), so each
# thread keeps its connection: SQLite connections persist (CONN_MAX_AGE); PostgreSQL
# connections come from psycopg's pool, which needs CONN_MAX_AGE 0.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'flowline.sqlite3'}"),
}
_POOLED = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DB_POOL", default=True
)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0 if _POOLED else 600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if _POOLED:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=20),
        "timeout": env.int("DB_POOL_TIMEOUT", default=10),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache (throttling, health): Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="flowline"),
            # redis-py waits 5 s by default: a paused Redis would hold every request.
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_CACHE_TIMEOUT", default=1.0),
                "socket_timeout": env.float("REDIS_CACHE_TIMEOUT", default=1.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 3)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Public media: only checked images meant to be shown (see flowline/core/private_files.py).
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Private files (agent data sources, ...): outside MEDIA_ROOT, served only by views.
FLOWLINE_PRIVATE_MEDIA_ROOT = Path(
    env.str("FLOWLINE_PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "flowline.core.private_files.PrivateFileSystemStorage",
        "OPTIONS": {"location": FLOWLINE_PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Email: console by default; EMAIL_URL (smtp://user:pass@host:port) for SMTP.
_email = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Flowline <no-reply@flowline.local>")
EMAIL_TIMEOUT = 10

# Security headers that hold in every mode.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Limits on what the API reads.
FLOWLINE_MAX_BODY_BYTES = env.int("FLOWLINE_MAX_BODY_BYTES", default=2 * 1024 * 1024)
FLOWLINE_MAX_UPLOAD_BYTES = env.int("FLOWLINE_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = FLOWLINE_MAX_BODY_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FLOWLINE_ADMIN_PATH = "/admin/"
FLOWLINE_ENCRYPTION_KEYS = env.list("FLOWLINE_ENCRYPTION_KEYS", default=[])
FLOWLINE_VERSION = "0.1.0"
# The secret of the Gitea webhook (`system/webhook/`); unset, the endpoint answers 503.
GITEA_WEBHOOK_SECRET = env.str("GITEA_WEBHOOK_SECRET", default="")
# How long `system/request-metrics/{request_id}/` keeps a request's figures (seconds).
FLOWLINE_REQUEST_METRICS_TTL = env.int("FLOWLINE_REQUEST_METRICS_TTL", default=3600)

# Django REST framework, JWT, OpenAPI.
# AI gateway: the environment fallback when an account configured no provider.
from config.settings.ai import *  # noqa: E402,F403
from config.settings.api import *  # noqa: E402,F403

# Payments: Stripe, webhook secret, invoices.
from config.settings.billing import *  # noqa: E402,F403

# Customer chat: Meta webhook credentials.
from config.settings.chat import *  # noqa: E402,F403

# Cloud drives: Google Drive / OneDrive OAuth clients and endpoints.
from config.settings.drives import *  # noqa: E402,F403

# Background jobs (Celery), embedded or scaled.
from config.settings.jobs import *  # noqa: E402,F403

# Notifications: Web Push (VAPID) keys.
from config.settings.notifications import *  # noqa: E402,F403

# SEO pipeline (planner, writer, integration, optimizer, automation)
from config.settings.seo import *  # noqa: E402,F403

# Social accounts, posts, campaigns and social login
from config.settings.social import *  # noqa: E402,F403

# Sandbox mode (config/settings/sandbox.py): on in the embedded `make run`, off elsewhere;
# production settings refuse it. Unconfigured integrations talk to Flowline's own sandbox
# providers at FRONTEND_URL/sandbox/, whose host:port is allow-listed for that alone.
FLOWLINE_SANDBOX = env.bool(
    "FLOWLINE_SANDBOX", default=env.bool("FLOWLINE_EMBEDDED", default=False)
)
FLOWLINE_SANDBOX_URL = ""
# Where the sandbox providers keep their state across restarts (empty: in memory only).
FLOWLINE_SANDBOX_STATE_DIR = env.str("FLOWLINE_SANDBOX_STATE_DIR", default=str(VAR_DIR / "sandbox"))
if FLOWLINE_SANDBOX:
    from config.settings import sandbox as _sandbox

    globals().update(_sandbox.unconfigured_overrides(FRONTEND_URL, globals()))
    if not env.str("EMAIL_URL", default=""):  # e-mails shown on /sandbox/outbox/ too
        EMAIL_BACKEND = "flowline.sandbox.mail.OutboxEmailBackend"
    FLOWLINE_ALLOWED_PRIVATE_HOSTS = [
        *env.list("FLOWLINE_ALLOWED_PRIVATE_HOSTS", default=[]),
        _sandbox.origin_host_port(FRONTEND_URL),
    ]

CELERY_BEAT_SCHEDULE = {**CELERY_BEAT_SCHEDULE, **SEO_BEAT_SCHEDULE, **SOCIAL_BEAT_SCHEDULE}  # noqa: F405
# A periodic task nobody ran by its next tick is dropped, not piled up while workers are
# down and run in a burst when they come back (the next tick does the same work).
for _entry in CELERY_BEAT_SCHEDULE.values():
    _entry.setdefault("options", {}).setdefault("expires", float(_entry["schedule"]))

CELERY_BEAT_SCHEDULE_FILENAME = CELERY_BEAT_SCHEDULE_FILENAME or str(  # noqa: F405
    VAR_DIR / "celerybeat-schedule"
)

# A separate JWT key lets tokens be rotated without touching SECRET_KEY.
SIMPLE_JWT["SIGNING_KEY"] = env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY  # noqa: F405

# Client addresses: X-Forwarded-For is believed only from these proxies (addresses or
# CIDRs, comma-separated; none by default), see flowline/core/client_address.py.
FLOWLINE_TRUSTED_PROXIES = env.list("FLOWLINE_TRUSTED_PROXIES", default=[])
# Throttles count in this process while Redis is unreachable, retrying it this often.
FLOWLINE_THROTTLE_FALLBACK_SECONDS = env.int("FLOWLINE_THROTTLE_FALLBACK_SECONDS", default=30)
FLOWLINE_THROTTLE_FALLBACK_ENTRIES = 10_000

# Login lockout (django-axes), see flowline/identity/lockout.py: one email from one
# address, one email from every address, one address for every email; each locked for
# the cool-off once its own limit is reached.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
FLOWLINE_LOGIN_USER_FAILURE_LIMIT = env.int("FLOWLINE_LOGIN_USER_FAILURE_LIMIT", default=20)
FLOWLINE_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("FLOWLINE_LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "flowline.identity.lockout.LoginLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "flowline.core.client_address.counted_address"
# Failures while locked out neither count nor extend the lock: it ends one cool-off
# after the failure that caused it, whatever an attacker keeps sending.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "flowline.identity.lockout.lockout_response"
# authenticate() gets the email as `username` (the user model's USERNAME_FIELD is email).
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # Every task received and finished, and every beat send, is INFO: with ticks each
        # second that drowns the log. CELERY_TASK_LOG_LEVEL=INFO brings them back.
        **{
            name: {"level": env.str("CELERY_TASK_LOG_LEVEL", default="WARNING")}
            for name in ("celery.app.trace", "celery.worker.strategy", "celery.beat")
        },
    },
}
# Outbound calls never reach loopback, private or link-local addresses, except these
# host:port targets (a self-hosted model server, a WordPress on the LAN): core.outbound.
if not FLOWLINE_SANDBOX:
    FLOWLINE_ALLOWED_PRIVATE_HOSTS = env.list("FLOWLINE_ALLOWED_PRIVATE_HOSTS", default=[])
FLOWLINE_REQUIRE_VERIFIED_EMAIL = env.bool("FLOWLINE_REQUIRE_VERIFIED_EMAIL", default=False)
FLOWLINE_SERVE_MEDIA = env.bool("FLOWLINE_SERVE_MEDIA", default=True)
FLOWLINE_REALTIME_REPLAY_WINDOW = env.int("FLOWLINE_REALTIME_REPLAY_WINDOW", default=500)
# Seconds a publish waits for Redis before giving up: a paused Redis must not stall the job
# that reports progress (rooms with a durable record restate their state on join).
FLOWLINE_REALTIME_REDIS_TIMEOUT = env.float("FLOWLINE_REALTIME_REDIS_TIMEOUT", default=2.0)
# Socket.IO heartbeats: how often clients are pinged and how long a silent one is kept.
FLOWLINE_SOCKETIO_PING_INTERVAL = env.int("FLOWLINE_SOCKETIO_PING_INTERVAL", default=25)
FLOWLINE_SOCKETIO_PING_TIMEOUT = env.int("FLOWLINE_SOCKETIO_PING_TIMEOUT", default=20)
