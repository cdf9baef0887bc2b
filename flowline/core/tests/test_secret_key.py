"""SECRET_KEY: no process starts without one, except the embedded `make run`, which makes
one per installation and keeps it in the var directory."""

import os
import stat
import subprocess
import sys

import pytest
from django.conf import settings

SHOW_KEY = (
    "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
)


def _start(tmp_path, module: str, **env) -> subprocess.CompletedProcess:
    """Load `module` as a fresh process would, in an installation at `tmp_path`."""
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FLOWLINE_EMBEDDED")}
    clean |= {"DJANGO_SETTINGS_MODULE": module, "FLOWLINE_VAR_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-c", SHOW_KEY],
        env=clean,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(autouse=True)
def _no_key_in_a_dotenv_file():
    dotenv = settings.BASE_DIR / ".env"
    if dotenv.exists() and "SECRET_KEY" in dotenv.read_text():
        pytest.skip("a local .env sets SECRET_KEY")


def test_a_server_without_a_secret_key_refuses_to_start(tmp_path):
    # when
    started = _start(tmp_path, "config.settings.base")

    # then: no key written in the code signs anything
    assert started.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in started.stderr
    assert not (tmp_path / "secret-key").exists()


def test_the_embedded_run_makes_one_key_per_installation_and_keeps_it(tmp_path):
    # when: started twice, as `make run` starts migrate, bootstrap and the server
    first = _start(tmp_path, "config.settings.base", FLOWLINE_EMBEDDED="true")
    second = _start(tmp_path, "config.settings.base", FLOWLINE_EMBEDDED="true")
    elsewhere = _start(tmp_path / "other", "config.settings.base", FLOWLINE_EMBEDDED="true")

    # then: the same long random key, readable by its owner only; another install has its own
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert len(key) >= 50 and second.stdout.strip() == key
    assert (tmp_path / "secret-key").read_text().strip() == key
    assert stat.S_IMODE((tmp_path / "secret-key").stat().st_mode) == 0o600
    assert elsewhere.stdout.strip() not in ("", key)


def test_a_secret_key_given_wins_over_the_installation_s(tmp_path):
    started = _start(
        tmp_path, "config.settings.base", FLOWLINE_EMBEDDED="true", SECRET_KEY="k" * 60
    )

    assert started.stdout.strip() == "k" * 60
    assert not (tmp_path / "secret-key").exists()


def test_production_settings_require_the_key_even_when_embedded_is_set(tmp_path):
    started = _start(
        tmp_path,
        "config.settings.production",
        FLOWLINE_EMBEDDED="true",
        ALLOWED_HOSTS="flowline.example.com",
    )

    assert started.returncode != 0
    assert "SECRET_KEY" in started.stderr
