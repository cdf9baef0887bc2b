"""How long a publish that failed for a passing reason waits before the next try.

A site owner's outages last minutes (a deploy, a plugin update) to hours (a host down
overnight). So the publish queue waits 1 minute, then 2, 4, 8 ... doubling up to 6 hours,
each wait drawn within +-20 % (so the posts of many sites down at once do not all come
back in the same second), for 12 attempts in all: about 20 hours. A site's Retry-After
is honoured, within the same cap. WORDPRESS_RETRY_BASE_SECONDS,
WORDPRESS_RETRY_MAX_SECONDS and WORDPRESS_PUBLISH_MAX_ATTEMPTS change the schedule.
"""

from __future__ import annotations

from django.conf import settings

from flowline.core import leases

JITTER = 0.2


def policy() -> leases.Backoff:
    """The schedule, read from the settings each time (they may change under tests)."""
    cap = float(settings.WORDPRESS_RETRY_MAX_SECONDS)
    return leases.Backoff(
        base=float(settings.WORDPRESS_RETRY_BASE_SECONDS),
        cap=cap,
        jitter=(1 - JITTER, 1 + JITTER),
        max_attempts=max(1, int(settings.WORDPRESS_PUBLISH_MAX_ATTEMPTS)),
        floor=1.0,
        retry_after_cap=cap,
    )


def retry_delay(attempt: int, retry_after: float | None = None) -> float:
    """Seconds to wait after failed attempt number `attempt` (1 for the first)."""
    return policy().seconds(attempt, retry_after)


def max_attempts() -> int:
    """Attempts a queued publish gets in all (the first included)."""
    return policy().max_attempts
