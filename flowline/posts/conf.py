"""The posts app's settings, with their defaults (env variables in config/settings/social.py)."""

from django.conf import settings

DEFAULTS = {
    "FLOWLINE_POSTS_TICK_SECONDS": 5.0,
    "FLOWLINE_POSTS_SWEEP_SECONDS": 25.0,
    "FLOWLINE_POSTS_MISSED_AFTER": 3600,
    "FLOWLINE_POSTS_MAX_ATTEMPTS": 5,
    "FLOWLINE_POSTS_LEASE_SECONDS": 30,
    "FLOWLINE_POSTS_SETTLE_SECONDS": 30,
    "FLOWLINE_POSTS_MIN_RETRY_SECONDS": 2.0,
    "FLOWLINE_POSTS_METRICS_SECONDS": 900,
    "FLOWLINE_POSTS_METRICS_DAYS": 30,
    "FLOWLINE_POSTS_IMPORT_MAX_ROWS": 500,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])
