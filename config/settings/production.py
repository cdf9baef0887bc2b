"""Production settings: secrets required, HTTPS enforced. Passes `check --deploy`."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")  # no default: refuse to start without one
# Sandbox providers answer for social platforms, payments and logins: never in production.
if FLOWLINE_SANDBOX:  # noqa: F405
    raise ImproperlyConfigured(
        "FLOWLINE_SANDBOX is on: production settings refuse sandbox mode (unset "
        "FLOWLINE_SANDBOX and FLOWLINE_EMBEDDED)."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
SIMPLE_JWT = {**SIMPLE_JWT, "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY}  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^api/v1/system/status/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
AUTH_COOKIE_SECURE = True
