"""Token health: refresh ahead of expiry, tell a blip from a dead token, notify once."""

from __future__ import annotations


def account_mark_dead(*, social_account_id: int, reason: str) -> bool:
    """Mark the account expired and send the one reconnect notice. (Filled in below.)"""
    raise NotImplementedError
