"""IGNY8's `auth/groups/`: Flowline's permission groups are its four roles.

IGNY8 (003, 002) keeps Django auth groups next to its roles; in Flowline a member's
permissions come from the role alone, so a "group" is a role and its permissions are what
that role may do. They are read off the routes themselves (each tenant endpoint's
`read_role`, `write_role` and `action_roles`), so the list cannot drift from what
`HasAccountRole` enforces.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import SAFE_METHODS

from flowline.core.roles import RANK, Role, at_least


@dataclass(frozen=True)
class RoleGroup:
    id: int
    name: str
    label: str
    permissions: tuple[str, ...]


def _patterns(resolver: URLResolver):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry)
        elif isinstance(entry, URLPattern):
            yield entry


def _required(view_class, action: str, method: str) -> str:
    roles = getattr(view_class, "action_roles", {}) or {}
    if action in roles:
        return roles[action]
    if method.upper() in SAFE_METHODS:
        return getattr(view_class, "read_role", Role.VIEWER)
    return getattr(view_class, "write_role", Role.EDITOR)


@lru_cache(maxsize=1)
def _permission_table() -> dict[str, str]:
    """`"<resource>.<action>"` -> the least role allowed, for every tenant endpoint."""
    from flowline.core.viewsets import TenantViewSetMixin

    table: dict[str, str] = {}
    for pattern in _patterns(get_resolver()):
        view_class = getattr(pattern.callback, "cls", None)
        actions = getattr(pattern.callback, "actions", None)
        if not (view_class and actions and issubclass(view_class, TenantViewSetMixin)):
            continue
        resource = (pattern.name or "").rsplit("-", 1)[0]
        for method, action in actions.items():
            if method in ("head", "options"):
                continue
            table[f"{resource}.{action}"] = _required(view_class, action, method)
    return table


def role_groups() -> list[RoleGroup]:
    """The four roles, weakest first, each with every permission it holds."""
    table = _permission_table()
    return [
        RoleGroup(
            id=RANK[role],
            name=role.value,
            label=role.label,
            permissions=tuple(sorted(p for p, needed in table.items() if at_least(role, needed))),
        )
        for role in sorted(Role, key=RANK.get)
    ]


def role_group(group_id: int) -> RoleGroup | None:
    return next((group for group in role_groups() if group.id == group_id), None)
