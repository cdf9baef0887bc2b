"""SellFlow (seed 001): the frontend's base is `http://<host>/api`; its paths sit right
below it (`/api/auth/login/`, `/api/products/`, ...). Bearer JWT. Shapes are not
documented beyond "returns JWT tokens", so answers keep Flowline's envelope, with the token
endpoints' payload (and `access`/`refresh`) also at the top level, where simplejwt-style
clients read them.
"""

from flowline.contracts.adapters import Lift
from flowline.contracts.declare import Contract, route

V1 = "/api/v1/"


def alias(method: str, path: str, *adapters):
    """SellFlow's `/api/<path>` is Flowline's `/api/v1/<path>`."""
    return route(method, path, V1 + path, *adapters)


CONTRACT = Contract(
    name="SellFlow",
    seed="001",
    prefix="api/",
    routes=(
        # Authentication
        alias("POST", "auth/register/"),
        alias("POST", "auth/login/", Lift("tokens")),
        alias("POST", "auth/logout/"),
        route("POST", "auth/token/refresh/", V1 + "auth/refresh/", Lift()),
        alias("GET", "auth/profile/"),
        alias("PUT", "auth/profile/"),
        # Products
        alias("GET", "products/"),
        alias("POST", "products/"),
        alias("GET", "products/<pk>/"),
        alias("PUT", "products/<pk>/"),
        alias("DELETE", "products/<pk>/"),
        alias("POST", "products/<pk>/upload-images/"),
        alias("GET", "products/categories/"),
        alias("POST", "ai/generate/description/"),
        # Chat
        alias("GET", "chat/conversations/"),
        alias("POST", "chat/conversations/"),
        alias("GET", "chat/conversations/<pk>/"),
        alias("GET", "chat/conversations/<pk>/messages/"),
        alias("POST", "chat/conversations/<pk>/messages/"),
        alias("POST", "ai/chat/suggestions/"),
        # Analytics
        alias("GET", "analytics/dashboard/"),
        alias("GET", "analytics/platforms/"),
        alias("GET", "analytics/conversions/"),
        alias("GET", "analytics/events/"),
        alias("POST", "analytics/events/"),
        # Social
        alias("GET", "social/accounts/"),
        alias("POST", "social/accounts/"),
        alias("POST", "social/posts/"),
        alias("GET", "social/schedules/"),
        alias("POST", "social/schedules/"),
        # Notifications
        alias("GET", "notifications/"),
        alias("POST", "notifications/<pk>/mark_read/"),
        alias("POST", "notifications/mark_all_read/"),
        alias("GET", "notifications/count/"),
        alias("GET", "notifications/preferences/"),
        alias("PUT", "notifications/preferences/"),
    ),
)
