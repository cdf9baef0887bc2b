"""The sandbox's e-mail outbox: what Flowline would have sent, kept in memory for the
outbox page (and printed to the console as before). Sandbox mode uses it unless EMAIL_URL
names a real server."""

from __future__ import annotations

import threading
from collections import deque
from datetime import UTC, datetime

from django.core.mail.backends.console import EmailBackend as ConsoleBackend

_outbox: deque[dict] = deque(maxlen=200)
_lock = threading.Lock()


class OutboxEmailBackend(ConsoleBackend):
    """The console backend that also keeps each message for `/sandbox/outbox/`."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        with _lock:
            for message in email_messages:
                _outbox.appendleft(
                    {
                        "to": list(message.to),
                        "subject": message.subject,
                        "body": message.body,
                        "sent_at": datetime.now(UTC),
                    }
                )
        return sent


def outbox() -> list[dict]:
    """The kept messages, newest first."""
    with _lock:
        return list(_outbox)
