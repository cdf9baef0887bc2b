"""Test settings: fast hashing, in-memory mail, everything else as configured."""

import os

# A fixed key for tests (base settings refuse to start without one); processes the tests
# start (workers, servers) inherit it.
os.environ.setdefault("SECRET_KEY", "flowline-tests-only-not-a-secret")

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AUTH_COOKIE_SECURE = True
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    "anon": "10000/min",
    "user": "10000/min",
    "login": "10000/min",
    "login_identity": "10000/min",
}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# Each test run gets its own cache namespace, so throttle counters never leak between runs.
if REDIS_URL:  # noqa: F405
    import uuid

    CACHES["default"]["KEY_PREFIX"] = f"flowline-test-{uuid.uuid4().hex[:8]}"  # noqa: F405

# Tests that start a live server get the in-process worker, whatever the broker is.
FLOWLINE_EMBEDDED_WORKER = True
FLOWLINE_JOB_STALE_SECONDS = 5
# Threads of live-server tests (worker, heartbeats) must not keep test databases open.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Live-server tests should not wait 45 s for a polling client to be declared gone.
FLOWLINE_SOCKETIO_PING_INTERVAL = 2
FLOWLINE_SOCKETIO_PING_TIMEOUT = 2
FLOWLINE_REALTIME_REDIS_TIMEOUT = 0.5
# Browser tests load the console's static files straight from the apps (no collectstatic).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# SQLite tests use a file, not shared-cache memory: there, a thread writing while another
# holds the table (the server, the worker, a heartbeat of a live-server test) fails at once
# with "database table is locked"; on a file, WAL and the busy timeout make it wait its turn.
# Processes a test starts inherit the name.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.environ.setdefault(
            "FLOWLINE_TEST_DATABASE",
            str(VAR_DIR / f"test-{os.getpid()}.sqlite3"),  # noqa: F405
        )
    }
# Sandbox providers keep their state in memory in tests (the sandbox fixture gives each
# test its own state directory): nothing carries over from one test to the next.
FLOWLINE_SANDBOX_STATE_DIR = ""
