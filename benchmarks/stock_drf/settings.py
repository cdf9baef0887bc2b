"""Settings of the stock DRF server that run_api.py and profile_api.py measure Flowline
against: the three benchmarked endpoints as a seed project would write them.

    DJANGO_SETTINGS_MODULE=benchmarks.stock_drf.settings \
      .venv/bin/uvicorn benchmarks.stock_drf.asgi:application

Django's startproject middleware, DRF's defaults (content negotiation, parsers, the
browsable API left out as a JSON API would), simplejwt's `JWTAuthentication` (it reads
the user per request), `PageNumberPagination`, DRF's own `UserRateThrottle` in the same
cache as Flowline's. It reads the tables Flowline's seed wrote (unmanaged models), with
Flowline's database, connection and JWT settings, so the same token works on both.
"""

from datetime import timedelta
from pathlib import Path

import environ

from config.secret_key import secret_key

env = environ.Env()
BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(env.str("FLOWLINE_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = False
SECRET_KEY = secret_key(env, VAR_DIR)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "benchmarks.stock_drf.urls"
AUTH_USER_MODEL = "stock_drf.User"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "rest_framework",
    "benchmarks.stock_drf",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TIME_ZONE = "UTC"
USE_TZ = True
USE_I18N = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The same database and connection handling as Flowline's settings (base.py): the
# comparison is of the request path, not of connecting.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'flowline.sqlite3'}"),
}
_POOLED = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0 if _POOLED else 600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if _POOLED:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 2, "max_size": 20}
else:
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "stock-drf",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "benchmarks.stock_drf.pagination.PageSizePagination",
    "PAGE_SIZE": 10,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    # DRF's throttle keeps every request's timestamp of the window in the cache: a
    # one-second window keeps that list at the request rate (about what 2,000/min holds
    # in production) while never answering 429 under the benchmark's load.
    "DEFAULT_THROTTLE_RATES": {"user": "1000000000/s"},
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "ALGORITHM": "HS256",
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_CLAIM": "user_id",
    "USER_ID_FIELD": "id",
    "TOKEN_TYPE_CLAIM": "type",  # how Flowline's tokens name it
    "UPDATE_LAST_LOGIN": False,
    "LEEWAY": 0,
}
