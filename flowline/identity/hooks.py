"""What apps above identity plug into it, so identity imports none of them: they hear of
new accounts (billing subscribes them), may refuse a seat (billing's plan limit), and tell
which sites a restricted member reaches (sites owns the grants)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

_account_created: list[Callable[[int], None]] = []
_seat_checks: list[Callable[..., None]] = []


def register_account_created_listener(listener: Callable[[int], None]) -> None:
    """`listener(account_id)` runs inside the transaction that created the account."""
    _account_created.append(listener)


def account_created(account_id: int) -> None:
    for listener in _account_created:
        listener(account_id)


def register_seat_check(check: Callable[..., None]) -> None:
    """`check(account_id=, taken=, adding=)` raises (e.g. 402) to refuse more members;
    `taken` counts active members and pending invitations."""
    _seat_checks.append(check)


def seats_checked(*, account_id: int, taken: int, adding: int) -> None:
    for check in _seat_checks:
        check(account_id=account_id, taken=taken, adding=adding)


@dataclass(frozen=True)
class SiteDirectory:
    """The sites app's answers about site access (see sites/public.py)."""

    granted_site_ids: Callable[[int, int], list[int]]  # (account_id, user_id)
    accessible_sites: Callable[..., list[dict]]  # (ctx) -> [{id, name, slug, url, status}]
    existing_site_ids: Callable[[int, list[int]], set[int]]  # (account_id, site_ids)
    grant_sites: Callable[..., None]  # (account_id=, user_id=, site_ids=, granted_by_id=)


_NO_SITES = SiteDirectory(
    granted_site_ids=lambda account_id, user_id: [],
    accessible_sites=lambda ctx: [],
    existing_site_ids=lambda account_id, site_ids: set(),
    grant_sites=lambda **_: None,
)
_site_directory: SiteDirectory = _NO_SITES  # fail closed: no grants without the sites app


def register_site_directory(directory: SiteDirectory) -> None:
    global _site_directory
    _site_directory = directory


def site_directory() -> SiteDirectory:
    return _site_directory
