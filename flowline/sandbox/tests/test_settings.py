"""Sandbox mode: on in the embedded `make run`, off by default, refused in production."""

import os
import subprocess
import sys

from django.conf import settings

SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.FLOWLINE_SANDBOX, s.SOCIAL_TWITTER_API_BASE, s.FLOWLINE_ALLOWED_PRIVATE_HOSTS)"
)
PRODUCTION = {"SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "flowline.example.com"}


def _start(tmp_path, module: str, **env) -> subprocess.CompletedProcess:
    """Load `module` as a fresh process would, with only `env` set of Flowline's own."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FLOWLINE_", "SOCIAL_", "SECRET_KEY", "FRONTEND_URL"))
    }
    clean |= {"DJANGO_SETTINGS_MODULE": module, "FLOWLINE_VAR_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        env=clean,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_refuse_sandbox_mode(tmp_path):
    # when
    started = _start(tmp_path, "config.settings.production", FLOWLINE_SANDBOX="true", **PRODUCTION)

    # then
    assert started.returncode != 0
    assert "production settings refuse sandbox mode" in started.stderr


def test_production_settings_start_without_sandbox(tmp_path):
    started = _start(tmp_path, "config.settings.production", **PRODUCTION)

    assert started.returncode == 0, started.stderr
    assert started.stdout.split()[:2] == ["False", "https://api.x.com"]


def test_the_embedded_run_is_in_sandbox_mode_and_allows_only_its_own_origin(tmp_path):
    started = _start(
        tmp_path,
        "config.settings.base",
        FLOWLINE_EMBEDDED="true",
        FRONTEND_URL="http://127.0.0.1:8123",
    )

    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == ("True http://127.0.0.1:8123/sandbox/x ['127.0.0.1:8123']")


def test_a_real_platform_configured_in_sandbox_mode_is_left_alone(tmp_path):
    started = _start(
        tmp_path,
        "config.settings.base",
        FLOWLINE_EMBEDDED="true",
        SOCIAL_TWITTER_CLIENT_ID="real-client",
    )

    assert started.returncode == 0, started.stderr
    assert started.stdout.split()[:2] == ["True", "https://api.x.com"]
