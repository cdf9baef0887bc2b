"""How long a publish that failed for a passing reason waits before the next try.

A site owner's outages last minutes (a deploy, a plugin update) to hours (a host down
overnight). So the publish queue waits 1 minute, then 2, 4, 8 ... doubling up to 6 hours,
each wait drawn within +-20 % (so the posts of many sites down at once do not all come
back in the same second), for 12 attempts in all: about 20 hours. A site's Retry-After
is honoured, within the same cap. WORDPRESS_RETRY_BASE_SECONDS,
WORDPRESS_RETRY_MAX_SECONDS and WORDPRESS_PUBLISH_MAX_ATTEMPTS change the schedule.
"""

from __future__ import annotations

import random

from django.conf import settings

JITTER = 0.2


def retry_delay(attempt: int, retry_after: float | None = None) -> float:
    """Seconds to wait after failed attempt number `attempt` (1 for the first)."""
    cap = float(settings.WORDPRESS_RETRY_MAX_SECONDS)
    if retry_after:
        return min(max(float(retry_after), 1.0), cap)
    base = float(settings.WORDPRESS_RETRY_BASE_SECONDS)
    delay = min(cap, base * 2 ** max(0, attempt - 1))
    return delay * random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 (not a secret)


def max_attempts() -> int:
    """Attempts a queued publish gets in all (the first included)."""
    return max(1, int(settings.WORDPRESS_PUBLISH_MAX_ATTEMPTS))
