"""One lease-and-retry mechanism for the durable queues (jobs, webhook deliveries, the
publish queue, post targets, the notification outbox). Each queue keeps its own table and
its own rules for what is due; what they share lives here:

- `Backoff` (core.backoff): how long a failed attempt waits, and when attempts run out;
- `Lease`: how long a claim holds, when it counts as abandoned, and the heartbeat that
  keeps a live worker's claim from running out (core.heartbeat);
- `claim_next()`: take one due row, skipping rows another worker has locked
  (`select_for_update(skip_locked=True)` on PostgreSQL; SQLite has no row locks and relies
  on the caller's conditional UPDATE alone, which is what makes any claim exclusive);
- `claimed()`: a sweep's loop, bounded by a count and a time budget;
- `end_abandoned()`: rows whose last attempt's worker died;
- `sweep_task()`: the Celery task that runs a periodic sweep.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from celery import shared_task
from django.db import connection, transaction
from django.db.models import QuerySet

from flowline.core import heartbeat
from flowline.core.backoff import Backoff

__all__ = ["Backoff", "Lease", "claim_next", "claimed", "end_abandoned", "sweep_task"]

Row = TypeVar("Row")
Claimed = TypeVar("Claimed")


@dataclass(frozen=True, slots=True)
class Lease:
    """How long a claim holds without its worker renewing it. Short, so a dead worker's
    row is taken over soon; renewed by a heartbeat every quarter of it, so a live worker
    that is slow (a long AI call, a platform that takes its time) never loses it."""

    seconds: float

    @property
    def length(self) -> timedelta:
        return timedelta(seconds=self.seconds)

    def until(self, now: datetime) -> datetime:
        """When a claim taken `now` runs out."""
        return now + self.length

    def abandoned_before(self, now: datetime) -> datetime:
        """Claims last renewed before this are abandoned: their worker died."""
        return now - self.length

    def renewing(self, renew: Callable[[], object], *, name: str) -> AbstractContextManager:
        """Call `renew()` every quarter lease (at least every second) while the block runs."""
        return heartbeat.beating(renew, every=max(1.0, self.seconds / 4), name=name)


def claim_next(
    due: QuerySet, take: Callable[[Row], Claimed | None], *, tries: int = 10
) -> Claimed | None:
    """Claim the first row of `due` (ordered, oldest first) that `take` claims.

    `take(row)` claims with a conditional UPDATE and returns what the caller works on, or
    None when another worker got there first. On PostgreSQL the rows are locked with
    `skip_locked`, so sweeps on several workers take different rows without waiting; on
    SQLite the first `tries` rows are tried in turn.
    """
    if not due.exists():
        return None  # a read: an idle sweep takes no write lock (SQLite has one for all)
    skip_locked = connection.features.has_select_for_update_skip_locked
    with transaction.atomic():
        if skip_locked:
            due = due.select_for_update(skip_locked=True)
        for row in list(due[: 1 if skip_locked else tries]):
            claimed = take(row)
            if claimed is not None:
                return claimed
    return None


def claimed(
    next_claim: Callable[[], Claimed | None], *, limit: int, budget: float
) -> Iterator[Claimed]:
    """A sweep: claims from `next_claim()` until none is due, `limit` were handed out or
    `budget` seconds passed (so sweeps started every few seconds do not pile up)."""
    started = time.monotonic()
    for _ in range(limit):
        if time.monotonic() - started > budget:
            return
        claim = next_claim()
        if claim is None:
            return
        yield claim


def end_abandoned(abandoned: QuerySet, **fields) -> int:
    """Give up the rows whose last attempt's worker died (lease over, no attempts left):
    update them with `fields`. An idle sweep only reads."""
    if not abandoned.exists():
        return 0
    return abandoned.update(**fields)


def sweep_task(
    name: str,
    *,
    every: float | None = None,
    runs_for: float | None = None,
    grace: float = 30.0,
):
    """Decorate a periodic sweep into its Celery task: no result kept; a message older
    than `every` (the beat period) expires, the next tick sends a fresh one; stopped
    softly after `runs_for` seconds and for good `grace` seconds later."""
    options: dict = {"name": name, "ignore_result": True}
    if every is not None:
        options["expires"] = every
    if runs_for is not None:
        options.update(soft_time_limit=runs_for, time_limit=runs_for + grace)
    return shared_task(**options)
