"""Role-based permissions read from the active tenant context."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from flowline.core import tenancy
from flowline.core.roles import Role, at_least


class HasAccountRole(BasePermission):
    """Viewers read; editors write; views raise the bar per action with `action_roles`.

    A view declares `read_role`, `write_role` and `action_roles = {"invite": Role.ADMIN}`.
    API keys additionally need the scope `<api_scope>:read` or `<api_scope>:write`.
    """

    message = "Your role in this account does not allow this action."

    def has_permission(self, request, view) -> bool:
        ctx = tenancy.current()
        if ctx is None:
            return False
        needed = required_role(request, view)
        if not at_least(ctx.role, needed):
            return False
        if ctx.api_key_id is not None:
            scopes = getattr(request.auth, "scopes", None) or []
            return api_key_allows(request.method, getattr(view, "api_scope", None), scopes)
        return True


def required_role(request, view) -> str:
    action_roles = getattr(view, "action_roles", {}) or {}
    action = getattr(view, "action", None)
    if action in action_roles:
        return action_roles[action]
    if request.method in SAFE_METHODS:
        return getattr(view, "read_role", Role.VIEWER)
    return getattr(view, "write_role", Role.EDITOR)


def api_key_allows(method: str, module: str | None, scopes: list[str]) -> bool:
    """An API key may call a view when one of its scopes names the view's module
    (`<module>:read|write`, `*:read|write`); write implies read."""
    if module is None:
        return False
    mode = "read" if method in SAFE_METHODS else "write"
    wanted = {f"{module}:{mode}", f"*:{mode}"}
    if mode == "read":
        wanted |= {f"{module}:write", "*:write"}
    return bool(wanted & set(scopes))


class IsStaff(BasePermission):
    """Flowline operators (Django staff users): the /api/v1/admin/ endpoints."""

    message = "Staff only."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff)
