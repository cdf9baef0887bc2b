"""Races on purpose: the same work in several threads released at the same instant, each
with its own database connection (as separate workers or requests would have)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

Outcome = TypeVar("Outcome")


def race(work: Callable[[], Outcome], *, count: int, timeout: float = 60.0) -> list[Outcome]:
    """Run `work()` in `count` threads that start together; returns what each returned
    (in the order they finished). A thread that raised, or did not finish within
    `timeout` seconds, fails the test."""
    start = threading.Barrier(count)
    lock = threading.Lock()
    outcomes: list[Outcome] = []
    errors: list[BaseException] = []

    def run() -> None:
        from django.db import connection

        try:
            start.wait(timeout)
            outcome = work()
        except BaseException as exc:  # reported in the test's thread below
            with lock:
                errors.append(exc)
            return
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, name=f"race-{n}") for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise AssertionError(f"{len(errors)} of {count} racers failed") from errors[0]
    assert not any(thread.is_alive() for thread in threads), f"a racer ran over {timeout} s"
    return outcomes
