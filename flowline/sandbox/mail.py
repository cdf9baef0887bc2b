"""The sandbox's e-mail outbox: what Flowline would have sent, kept for the outbox page
(the last 200, saved with the sandbox's state in FLOWLINE_SANDBOX_STATE_DIR) and printed
to the console as before. Sandbox mode uses it unless EMAIL_URL names a real server."""

from __future__ import annotations

import json
import os
import threading
from collections import deque
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleBackend

KEPT = 200
_outbox: deque[dict] | None = None
_lock = threading.Lock()


def _file() -> Path | None:
    directory = getattr(settings, "FLOWLINE_SANDBOX_STATE_DIR", "")
    return Path(directory) / "outbox.json" if directory else None


def _kept() -> deque[dict]:
    """The outbox, read from its file on first use (called holding `_lock`)."""
    global _outbox
    if _outbox is None:
        _outbox = deque(maxlen=KEPT)
        path = _file()
        if path is not None and path.exists():
            for message in json.loads(path.read_text()):
                _outbox.append(message | {"sent_at": datetime.fromisoformat(message["sent_at"])})
    return _outbox


def _save(messages: deque[dict]) -> None:
    path = _file()
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [m | {"sent_at": m["sent_at"].isoformat()} for m in messages]
    temporary = path.with_name(".outbox.json.tmp")
    temporary.write_text(json.dumps(rows))
    os.replace(temporary, path)


class OutboxEmailBackend(ConsoleBackend):
    """The console backend that also keeps each message for `/sandbox/outbox/`."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        with _lock:
            kept = _kept()
            for message in email_messages:
                kept.appendleft(
                    {
                        "to": list(message.to),
                        "subject": message.subject,
                        "body": message.body,
                        "sent_at": datetime.now(UTC),
                    }
                )
            _save(kept)
        return sent


def outbox() -> list[dict]:
    """The kept messages, newest first."""
    with _lock:
        return list(_kept())


def forget() -> None:
    """Drop the outbox from memory, as a restart does (read back from its file next)."""
    global _outbox
    with _lock:
        _outbox = None
