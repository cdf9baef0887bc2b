"""003's System and Billing modules, settings management, and the routers and billing
paths of 002 that 003 does not list."""

import hmac
import json

from flowline.contracts.tests.igny8.endpoints import crud
from flowline.contracts.tests.table import Row

GITEA_SECRET = b"contract-test-secret"
GITEA_PUSH = json.dumps({"ref": "refs/heads/main"}).encode()

ROWS = [
    # System: AIPromptViewSet
    *crud(
        "/v1/system/prompts/",
        "prompt",
        {"prompt_type": "custom_intro", "prompt_value": "Write an intro."},
        {"prompt_type": "custom_intro", "prompt_value": "Write a short intro."},
    ),
    Row("GET", "/v1/system/prompts/by_type/auto_cluster/", keys=("prompt_type", "prompt_value")),
    Row(
        "POST",
        "/v1/system/prompts/save/",
        {"prompt_type": "auto_cluster", "prompt_value": "Group these keywords."},
        keys=("success", "prompt"),
    ),
    Row(
        "POST",
        "/v1/system/prompts/reset/",
        {"prompt_type": "auto_cluster"},
        keys=("success", "prompt"),
    ),
    # AuthorProfileViewSet, StrategyViewSet
    *crud("/v1/system/author-profiles/", "author_profile", {"name": "Calm"}, {"name": "Calmer"}),
    *crud("/v1/system/strategies/", "strategy", {"name": "Pillar"}, {"name": "Pillars"}),
    # IntegrationSettingsViewSet (custom URL patterns)
    Row(
        "GET",
        "/v1/system/settings/integrations/openai/",
        keys=("integration_type", "config", "is_active"),
    ),
    Row(
        "POST",
        "/v1/system/settings/integrations/openai/save/",
        {"config": {"apiKey": "sk-test", "model": "gpt-4"}, "is_active": True},
        keys=("success", "integration"),
    ),
    Row(
        "PUT",
        "/v1/system/settings/integrations/openai/",
        {"config": {"apiKey": "sk-test", "model": "gpt-4"}, "is_active": True},
        keys=("success", "integration"),
    ),
    Row(
        "POST",
        "/v1/system/settings/integrations/image_generation/test/",
        {"provider": "offline"},
        keys=("success", "message"),
    ),
    Row(
        "POST",
        "/v1/system/settings/integrations/image_generation/generate/",
        {"prompt": "a yoga mat", "provider": "offline"},
        status=201,
        keys=("success", "image_url"),
    ),
    Row("GET", "/v1/system/settings/task_progress/{job}/", keys=("state", "meta")),
    Row("GET", "/v1/system/integrations/image_generation/", keys=("providers", "models")),
    # Settings management
    # (installation-wide settings are staff-only in Flowline)
    *crud(
        "/v1/system/settings/system/",
        "system_setting",
        {"key": "site_name", "value": "x"},
        {"key": "site_name", "value": "y"},
        who="staff",
        deleted=204,
    ),
    *crud(
        "/v1/system/settings/account/",
        "account_setting",
        {"key": "tone", "value": "calm"},
        {"key": "tone", "value": "warm"},
    ),
    *crud(
        "/v1/system/settings/user/",
        "user_setting",
        {"key": "theme", "value": "dark"},
        {"key": "theme", "value": "light"},
    ),
    *crud(
        "/v1/system/settings/modules/",
        "module_setting",
        {"module_name": "writer", "enabled": True},
        {"module_name": "writer", "enabled": False},
    ),
    Row("GET", "/v1/system/settings/modules/module/planner/", keys=("module", "settings")),
    *crud(
        "/v1/system/settings/ai/",
        "ai_setting",
        {"key": "temperature", "value": 0.7},
        {"key": "temperature", "value": 0.5},
    ),
    Row("GET", "/v1/system/status/", keys=("status", "database", "version")),
    Row(
        "GET",
        "/v1/system/status/",
        keys=("status", "database", "redis", "celery", "version"),
    ),
    Row(
        "GET",
        "/v1/system/request-metrics/{request_id}/",
        keys=("request_id", "cpu_percent", "memory_mb", "io_read_mb", "io_write_mb"),
    ),
    Row(
        "POST",
        "/v1/system/webhook/",
        GITEA_PUSH,
        headers=lambda w: {
            "HTTP_X_GITEA_SIGNATURE": hmac.new(GITEA_SECRET, GITEA_PUSH, "sha256").hexdigest(),
            "HTTP_X_GITEA_DELIVERY": "4f7e0c1a-contract",
            "HTTP_X_GITEA_EVENT": "push",
        },
        keys=("success", "message"),
    ),
    # Billing: credit balance, usage, transactions
    Row(
        "GET",
        "/v1/billing/credits/balance/balance/",
        keys=("credits", "plan_credits_per_month", "credits_used_this_month", "credits_remaining"),
    ),
    Row("GET", "/v1/billing/credits/usage/", keys=("count", "results")),
    Row("GET", "/v1/billing/credits/usage/{usage}/", keys=("success", "data")),
    Row(
        "GET",
        "/v1/billing/credits/usage/summary/",
        keys=("total_credits_used", "total_cost_usd", "by_operation"),
    ),
    Row("GET", "/v1/billing/credits/usage/limits/", keys=("plan_limits", "current_usage")),
    Row("GET", "/v1/billing/credits/transactions/", keys=("count", "results")),
    # 002: routers and billing paths 003 does not list
    Row("GET", "/v1/auth/groups/", keys=("count", "results")),
    Row(
        "GET",
        "/v1/billing/transactions/",
        keys=("count", "results"),
    ),
    Row(
        "GET",
        "/v1/billing/credits/balance/",
        keys=("success",),
    ),
]
