"""Membership roles and their order: owner > admin > editor > viewer."""

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


RANK: dict[str, int] = {Role.VIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3, Role.OWNER: 4}


def at_least(role: str, needed: str) -> bool:
    """True when `role` may do what `needed` may do."""
    return RANK.get(role, 0) >= RANK[needed]


# Roles that can be handed out by invitation or by an admin (ownership is never given).
INVITABLE_ROLES = [Role.ADMIN, Role.EDITOR, Role.VIEWER]
