"""Model fields for secrets stored at rest (API keys of providers, WordPress passwords)."""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet() -> MultiFernet:
    """Fernet keys from FLOWLINE_ENCRYPTION_KEYS (newest first), derived when not given."""
    keys = list(settings.FLOWLINE_ENCRYPTION_KEYS) or [settings.SECRET_KEY]
    fernets = []
    for key in keys:
        raw = key.encode()
        try:
            fernets.append(Fernet(raw))
        except ValueError:
            derived = base64.urlsafe_b64encode(hashlib.sha256(raw).digest())
            fernets.append(Fernet(derived))
    return MultiFernet(fernets)


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("Stored secret cannot be decrypted with the configured keys.") from exc


def mask(value: str | None) -> str:
    """What an API shows of a secret: enough to recognise it, never enough to use it."""
    if not value:
        return ""
    return f"{'*' * 8}{value[-4:]}" if len(value) > 8 else "*" * 8


class EncryptedTextField(models.TextField):
    """A text field encrypted with Fernet in the database, plain text in Python."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
