"""The registry of job kinds, and what a handler gets to report progress with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class JobCancelled(Exception):
    """Raised inside a handler when the job was cancelled; the job ends `cancelled`."""


class TransientJobError(Exception):
    """A passing failure (rate limit, timeout, 5xx): the job is retried with backoff."""

    def __init__(self, message: str, *, code: str = "transient", retry_after: float | None = None):
        super().__init__(message)
        self.code = code
        self.retry_after = retry_after


class PermanentJobError(Exception):
    """A failure that retrying cannot fix (bad key, invalid input): the job fails at once."""

    def __init__(self, message: str, *, code: str = "failed"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable[[Any], dict | None]
    max_attempts: int = 3
    description: str = ""
    extra: dict = field(default_factory=dict)


_kinds: dict[str, JobKind] = {}


def job_handler(name: str, *, max_attempts: int = 3, description: str = ""):
    """Register `fn(job_context) -> result dict` as the handler of jobs of kind `name`."""

    def register(fn):
        _kinds[name] = JobKind(name, fn, max_attempts, description or (fn.__doc__ or "").strip())
        return fn

    return register


def kind(name: str) -> JobKind:
    try:
        return _kinds[name]
    except KeyError:
        raise PermanentJobError(f"Unknown job kind {name!r}.", code="unknown_kind") from None


def kinds() -> dict[str, JobKind]:
    return dict(_kinds)
