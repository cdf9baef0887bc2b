"""One backoff policy: how long a failed attempt waits before the next, and when the
attempts run out. The durable queues (core.leases) and the outbound HTTP client's
in-request retries (core.outbound) both draw their waits from it."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class Backoff:
    """The wait after failed attempt number `attempt` (1 for the first).

    Exponential: `base` doubled after each failure, at most `cap`; or, with `steps`, the
    listed waits (the last repeated). Each wait is multiplied by a draw within `jitter`, so
    the callers that failed together do not come back together. A Retry-After wins, kept
    within `retry_after_cap` when one is set and jittered by `retry_after_jitter`. No wait
    is shorter than `floor`. A row has had its chances after `max_attempts` attempts
    (unless the row carries its own bound).
    """

    base: float = 5.0
    cap: float = 300.0
    jitter: tuple[float, float] = (0.0, 1.0)
    steps: tuple[float, ...] = ()
    max_attempts: int = 5
    floor: float = 0.0
    retry_after_cap: float | None = None
    retry_after_jitter: tuple[float, float] = (1.0, 1.0)

    def seconds(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after:
            seconds = float(retry_after)
            if self.retry_after_cap is not None:
                seconds = min(seconds, self.retry_after_cap)
            seconds *= _draw(self.retry_after_jitter)
        elif self.steps:
            seconds = self.steps[min(max(attempt, 1), len(self.steps)) - 1] * _draw(self.jitter)
        else:
            seconds = min(self.cap, self.base * 2 ** max(0, attempt - 1)) * _draw(self.jitter)
        return max(seconds, self.floor)

    def delay(self, attempt: int, retry_after: float | None = None) -> timedelta:
        return timedelta(seconds=self.seconds(attempt, retry_after))

    def exhausted(self, attempts: int, max_attempts: int | None = None) -> bool:
        """True when no attempt is left after `attempts` (the row's own bound first)."""
        return attempts >= (self.max_attempts if max_attempts is None else max_attempts)


def _draw(bounds: tuple[float, float]) -> float:
    low, high = bounds
    return low if low == high else random.uniform(low, high)  # noqa: S311 (not a secret)
