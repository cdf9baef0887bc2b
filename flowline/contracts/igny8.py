"""IGNY8 (seeds 002, 003): the frontend's base is `http://<host>/api` and it calls
`/v1/...`, Flowline's own `/api/v1/` paths. Bodies match; what differs is where IGNY8 reads
some answers (003 "Frontend API Usage Patterns" and the endpoint lists): at the top level
beside `success`, not inside `data`. These rows add those keys at the top level and keep
`data`, so Flowline's own clients of the same paths are unaffected.
"""

from flowline.contracts.adapters import Lift, Nest
from flowline.contracts.declare import Contract, route

V1 = "/api/v1/"


def lifted(method: str, path: str):
    """A row on IGNY8's own path whose payload IGNY8 reads at the top level."""
    return route(method, path, V1 + path.removeprefix("v1/"), Lift())


CONTRACT = Contract(
    name="Igny8",
    seed="003",
    prefix="api/",
    routes=(
        # Auth: login answers {"success", "message", "user", "tokens"}; me {"success", "user"}.
        # (Registration keeps Flowline's answer: see docs/seed-frontends.md.)
        lifted("POST", "v1/auth/login/"),
        route("GET", "v1/auth/me/", V1 + "auth/me/", Nest("user")),
        # Planner
        lifted("POST", "v1/planner/keywords/bulk_delete/"),
        lifted("POST", "v1/planner/keywords/bulk_update_status/"),
        lifted("POST", "v1/planner/keywords/bulk_add_from_seed/"),
        lifted("POST", "v1/planner/keywords/import_keywords/"),
        lifted("POST", "v1/planner/keywords/auto_cluster/"),
        lifted("POST", "v1/planner/clusters/bulk_delete/"),
        lifted("POST", "v1/planner/clusters/auto_generate_ideas/"),
        lifted("POST", "v1/planner/ideas/bulk_delete/"),
        lifted("POST", "v1/planner/ideas/bulk_queue_to_writer/"),
        # Writer
        lifted("POST", "v1/writer/tasks/bulk_delete/"),
        lifted("POST", "v1/writer/tasks/bulk_update/"),
        lifted("POST", "v1/writer/tasks/auto_generate_content/"),
        lifted("POST", "v1/writer/content/generate_image_prompts/"),
        lifted("GET", "v1/writer/images/<pk>/file/"),
        lifted("GET", "v1/writer/images/content_images/"),
        lifted("POST", "v1/writer/images/auto_generate/"),
        lifted("POST", "v1/writer/images/generate_images/"),
        lifted("POST", "v1/writer/images/bulk_update/"),
        # System
        lifted("GET", "v1/system/prompts/by_type/<str:prompt_type>/"),
        lifted("POST", "v1/system/prompts/save/"),
        lifted("POST", "v1/system/prompts/reset/"),
        route(
            "GET",
            "v1/system/settings/integrations/<str:pk>/",
            V1 + "system/settings/integrations/<str:pk>/",
            Lift(),
        ),
        route(
            "PUT",
            "v1/system/settings/integrations/<str:pk>/",
            V1 + "system/settings/integrations/<str:pk>/",
            Lift(),
        ),
        lifted("POST", "v1/system/settings/integrations/<str:pk>/save/"),
        lifted("POST", "v1/system/settings/integrations/<str:pk>/test/"),
        lifted("POST", "v1/system/settings/integrations/<str:pk>/generate/"),
        lifted("GET", "v1/system/settings/task_progress/<str:task_id>/"),
        lifted("GET", "v1/system/integrations/image_generation/"),
        lifted("GET", "v1/system/settings/modules/module/<str:module_name>/"),
        lifted("GET", "v1/system/status/"),
        lifted("GET", "v1/system/request-metrics/<str:request_id>/"),
        # Billing
        lifted("GET", "v1/billing/credits/balance/balance/"),
        lifted("GET", "v1/billing/credits/usage/summary/"),
        lifted("GET", "v1/billing/credits/usage/limits/"),
    ),
)
