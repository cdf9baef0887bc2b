"""Where SECRET_KEY comes from: the environment, or in the embedded `make run` a key made
once for this installation and kept in the var directory (as the admin password is).

Anywhere else a missing key stops the process: a key written in the code would let
anyone who reads it sign sessions, password-reset links and admin tokens.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FILE_NAME = "secret-key"


def secret_key(env, var_dir: Path) -> str:
    """SECRET_KEY, or the installation's own with FLOWLINE_EMBEDDED (set by `make run`)."""
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if not env.bool("FLOWLINE_EMBEDDED", default=False):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random value (docs/deployment.md); "
            "only the embedded `make run` makes one of its own."
        )
    return _installation_key(var_dir / FILE_NAME)


def _installation_key(path: Path) -> str:
    if not path.exists():
        # Written whole to a temporary file, then linked into place: a process starting
        # at the same moment either finds the finished file or loses the race to it.
        temporary = path.with_name(f".{FILE_NAME}-{secrets.token_hex(8)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as stream:
            stream.write(secrets.token_urlsafe(64) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: delete it to make a new key.")
    return key
