"""Elinara Lab (seed 004): two bases. Its Main API paths (`/auth/login`, `/user/...`,
`/admin/...`, `/drive/...`) collide with SellFlow's `/api/auth/...` (other bodies, other
shapes), so, being the later seed, it gets its own base: `VITE_API_BASE_URL =
http://<host>/api/elinara`. Its Agent Service paths (`/agent/...`, `/config/...`,
`/datasources`) collide with no one: `VITE_AGENT_BASE_URL = http://<host>/api`, which the
frontend strips to `http://<host>` for Socket.IO at path `/api/socket.io` (default
namespace).

Paths carry no trailing slash, as the seed writes them. HttpOnly-cookie JWT with the
`csrf_access_token` cookie echoed in `X-CSRF-Token`; login sets the cookies. Answers are
raw objects (no envelope): the payload, a list as an array, `{"message"}` for a delete,
and an error as `{"message", "errors", "code", "request_id"}` (`RawError`, every path of
both bases).
"""

from flowline.contracts.adapters import (
    Bare,
    CopyField,
    Defaults,
    PathValues,
    RawError,
    Redirect,
    Username,
)
from flowline.contracts.declare import Contract, route

V1 = "/api/v1/"
SIGN_UP = (Username(), CopyField(password="password_confirm"), Bare())

API = Contract(
    name="Elinara",
    seed="004",
    prefix="api/elinara/",
    errors=RawError(),
    routes=(
        # 3.1 Authentication (authService)
        route("POST", "auth/login", V1 + "auth/login/", Username(), Defaults(cookie=True), Bare()),
        route("POST", "auth/logout", V1 + "auth/logout/", Bare()),
        route(
            "POST", "auth/disconnect/<str:provider>", V1 + "auth/disconnect/<str:provider>/", Bare()
        ),
        route("POST", "user/register", V1 + "auth/register/", *SIGN_UP),
        route(
            "GET",
            "auth2/github/signin",
            V1 + "social/auth/<str:platform>/init/",
            PathValues(platform="github"),
            Redirect(cookie="true"),
        ),
        route("POST", "auth2/github/logout", V1 + "auth/logout/", Bare()),
        route(
            "GET",
            "auth2/microsoft/login",
            V1 + "social/auth/<str:platform>/init/",
            PathValues(platform="microsoft"),
            Redirect(cookie="true"),
        ),
        # 3.2 User Management (userService)
        route("GET", "admin/user", V1 + "auth/me/", Bare()),
        route("POST", "user/dao", V1 + "auth/register/", *SIGN_UP),
        route("GET", "user/dao/<pk>", V1 + "auth/users/<pk>/", Bare()),
        route("PUT", "user/dao/<pk>", V1 + "auth/users/<pk>/", Bare()),
        route("DELETE", "user/dao/<pk>", V1 + "auth/users/<pk>/", Bare()),
        route("GET", "user/export", V1 + "user/export/"),
        route("GET", "user/manager", V1 + "auth/users/", Bare()),
        # 3.3 Cloud Storage (driveService, oneDriveService)
        route("GET", "drive/files", V1 + "drive/files/", Bare()),
        route("GET", "drive/file/<str:file_id>", V1 + "drive/file/<str:file_id>/", Bare()),
        route("GET", "drive/microsoft/files", V1 + "drive/microsoft/files/", Bare()),
        route(
            "GET",
            "drive/microsoft/file/<str:file_id>",
            V1 + "drive/microsoft/file/<str:file_id>/",
            Bare(),
        ),
        route("GET", "cloud/files", V1 + "cloud/files/", Bare()),
        route("GET", "cloud-files", V1 + "cloud-files/", Bare()),
        route("POST", "cloud-files", V1 + "cloud-files/", Bare()),
        # 3.5 Processes
        route("GET", "admin/processes", V1 + "agents/processes/", Bare()),
        route("POST", "admin/processes", V1 + "agents/processes/", Bare()),
        route("GET", "admin/processes/<pk>", V1 + "agents/processes/<pk>/", Bare()),
        route("PUT", "admin/processes/<pk>", V1 + "agents/processes/<pk>/", Bare()),
        route("DELETE", "admin/processes/<pk>", V1 + "agents/processes/<pk>/", Bare()),
    ),
)

AGENT = Contract(
    name="ElinaraAgent",
    seed="004",
    prefix="api/",
    tag=API.schema_tag,
    errors=RawError(),
    routes=(
        # 3.4 Agent Management (agentService)
        route("GET", "agent/status", V1 + "agent/status/", Bare()),
        route("POST", "agent/control", V1 + "agent/control/", Bare()),
        route("POST", "agent/config", V1 + "agent/config/", Bare()),
        route("POST", "agent/task", V1 + "agent/task/", Bare()),
        route("GET", "agent/task/<str:task_id>", V1 + "agent/task/<str:task_id>/", Bare()),
        route("GET", "agent/matches", V1 + "agent/matches/", Bare()),
        # 3.5 Configuration
        route("GET", "config/update", V1 + "config/update/", Bare()),
        route("POST", "config/update", V1 + "config/update/", Bare()),
        route("GET", "config/connection-emails", V1 + "config/connection-emails/", Bare()),
        route("POST", "config/connection-emails", V1 + "config/connection-emails/", Bare()),
        # 3.5 DataSources
        route("GET", "datasources", V1 + "datasources/", Bare()),
        route("POST", "datasources", V1 + "datasources/", Bare()),
        route("DELETE", "datasources", V1 + "datasources/", Bare()),
        route("GET", "user/datasources", V1 + "user/datasources/", Bare()),
        route("GET", "datasources/<pk>", V1 + "datasources/<pk>/", Bare()),
        route("PUT", "datasources/<pk>", V1 + "datasources/<pk>/", Bare()),
        route("DELETE", "datasources/<pk>", V1 + "datasources/<pk>/", Bare()),
    ),
)

CONTRACTS = (API, AGENT)
