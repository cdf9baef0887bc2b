"""Syncflow (seed 000): the frontend's base is `http://<str:host>/api`; accounts live under
`/api/accounts/` (dj-rest-auth's paths), automations under `/api/automations/`, brands at
`/api/brands/`. JWT in cookies (`"cookie": true` on login, then `X-CSRF-Token`) or Bearer.
The seed documents no response shapes: Flowline's envelope applies. Bodies in dj-rest-auth's
field names (`new_password1`, `key`) are accepted beside Flowline's.
"""

from flowline.contracts.adapters import Confirmed, PathToBody, Rename
from flowline.contracts.declare import Contract, route

V1 = "/api/v1/"
NEW_PASSWORD = Rename(new_password1="new_password", new_password2="new_password_confirm")


def alias(method: str, path: str, *adapters):
    """Syncflow's `/api/<str:path>` is Flowline's `/api/v1/<str:path>`."""
    return route(method, path, V1 + path, *adapters)


CONTRACT = Contract(
    name="Syncflow",
    seed="000",
    prefix="api/",
    routes=(
        # User Account (/api/accounts/)
        route(
            "POST",
            "accounts/auth/register/",
            V1 + "auth/register/",
            Rename(password1="password", password2="password_confirm"),
        ),
        route("POST", "accounts/auth/login/", V1 + "auth/login/"),
        route("POST", "accounts/auth/logout/", V1 + "auth/logout/"),
        route("GET", "accounts/auth/user/", V1 + "auth/me/"),
        route("POST", "accounts/auth/password/reset/", V1 + "auth/password-reset/"),
        route(
            "POST",
            "accounts/auth/password/reset/confirm/<str:uidb64>/<str:token>/",
            V1 + "auth/password-reset/confirm/",
            PathToBody(uidb64="uid", token="token"),
            Confirmed("new_password1", "new_password2", into="new_password"),
        ),
        route("POST", "accounts/auth/password/change/", V1 + "auth/change-password/", NEW_PASSWORD),
        route(
            "POST", "accounts/auth/verify-email/", V1 + "auth/verify-email/", Rename(key="token")
        ),
        route(
            "POST",
            "accounts/account-confirm-email/<str:key>/",
            V1 + "auth/verify-email/",
            PathToBody(key="token"),
        ),
        # "Notification endpoint for email verification sent": asks for another link.
        route("POST", "accounts/account-email-verification-sent/", V1 + "auth/verify-email/send/"),
        route("GET", "accounts/profile/", V1 + "auth/profile/"),
        route("PUT", "accounts/profile/", V1 + "auth/profile/"),
        route("PATCH", "accounts/profile/", V1 + "auth/profile/"),
        # Social (/api/social/)
        alias("GET", "social/auth/<str:platform>/init/"),
        alias("GET", "social/auth/callback/"),
        # Automations (/api/automations/)
        alias("GET", "automations/llm-providers/"),
        alias("POST", "automations/llm-providers/"),
        alias("GET", "automations/llm-providers/<pk>/"),
        alias("PUT", "automations/llm-providers/<pk>/"),
        alias("PATCH", "automations/llm-providers/<pk>/"),
        alias("DELETE", "automations/llm-providers/<pk>/"),
        alias("GET", "automations/ai-models/"),
        alias("POST", "automations/ai-models/"),
        alias("GET", "automations/ai-models/<pk>/"),
        alias("PUT", "automations/ai-models/<pk>/"),
        alias("PATCH", "automations/ai-models/<pk>/"),
        alias("DELETE", "automations/ai-models/<pk>/"),
        alias("GET", "automations/ai-agents/"),
        alias("POST", "automations/ai-agents/"),
        alias("GET", "automations/ai-agents/<pk>/"),
        alias("PUT", "automations/ai-agents/<pk>/"),
        alias("PATCH", "automations/ai-agents/<pk>/"),
        alias("DELETE", "automations/ai-agents/<pk>/"),
        alias("GET", "automations/agent-tasks/"),
        alias("GET", "automations/agent-tasks/<pk>/"),
        # Core (/api/)
        alias("GET", "brands/"),
        alias("POST", "brands/"),
        alias("GET", "brands/<int:pk>/"),
        alias("PUT", "brands/<int:pk>/"),
        alias("PATCH", "brands/<int:pk>/"),
        alias("DELETE", "brands/<int:pk>/"),
    ),
)
