"""IGNY8 (seeds 002, 003) as its frontend calls Flowline: base `/api`, paths `/v1/...` with
their trailing slash, `Authorization: Bearer <access>`. One row per endpoint line of 003
(in its order, then 002's extra routes), with the example bodies and the keys it documents
where it documents them."""

import hmac
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from flowline.ai.testing.fixtures import no_ai_environment  # noqa: F401
from flowline.ai.tests.factories import AuthorProfileFactory, PromptFactory, StrategyFactory
from flowline.billing.tests.factories import CreditUsageFactory, SubscriptionFactory
from flowline.contracts.tests.table import Row, call, check, params
from flowline.core.roles import Role
from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.jobs.tests.factories import JobFactory
from flowline.planner.tests.factories import ClusterFactory, ContentIdeaFactory, KeywordFactory
from flowline.sites.tests.factories import SectorFactory, SiteUserAccessFactory
from flowline.system.models import SystemSetting
from flowline.system.tests.factories import (
    AccountSettingFactory,
    AISettingFactory,
    ModuleSettingFactory,
    UserSettingFactory,
)
from flowline.writer.tests.factories import ContentFactory, ImageFactory, TaskFactory

pytestmark = pytest.mark.django_db

BASE = "/api"  # VITE_API_URL: the frontend calls `/v1/...` below it
TASK_STARTED = ("success", "task_id")
GITEA_SECRET = b"contract-test-secret"
GITEA_PUSH = json.dumps({"ref": "refs/heads/main"}).encode()


def crud(
    path: str, item: str, create, update, *, who: str = "owner", deleted: int = 200
) -> list[Row]:
    """The five "Standard CRUD" lines of a ViewSet: list, create, get, update, delete."""
    return [
        Row("GET", path, keys=("count", "next", "previous", "results"), who=who),
        Row("POST", path, create, status=201, keys=("success", "data"), who=who),
        Row("GET", f"{path}{{{item}}}/", keys=("success", "data"), who=who),
        Row("PUT", f"{path}{{{item}}}/", update, keys=("success", "data"), who=who),
        Row("DELETE", f"{path}{{{item}}}/", status=deleted, who=who),
    ]


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def read_only(path: str, item: str) -> list[Row]:
    return [
        Row("GET", path, keys=("count", "next", "previous", "results")),
        Row("GET", f"{path}{{{item}}}/", keys=("success", "data")),
    ]


def _in_sector(**fields):
    return lambda w: {"sector_id": w["sector"], **fields}


def _in_site(**fields):
    return lambda w: {"site": w["site"], "sector": w["sector"], **fields}


ROWS = [
    # Auth Module: authentication endpoints
    # (registration answers without `user`: Flowline verifies the address before an account
    # exists, and the answer must not tell whether the address was already registered)
    Row(
        "POST",
        "/v1/auth/register/",
        {
            "email": "user@example.com",
            "password": "password-123-Long",
            "password_confirm": "password-123-Long",
        },
        status=201,
        keys=("success", "message"),
    ),
    Row(
        "POST",
        "/v1/auth/login/",
        lambda w: {"email": w["email"], "password": w["password"]},
        keys=("success", "message", "user", "tokens"),
    ),
    Row(
        "POST",
        "/v1/auth/change-password/",
        lambda w: {
            "old_password": w["password"],
            "new_password": "newpass-123-Long",
            "new_password_confirm": "newpass-123-Long",
        },
        keys=("success", "message"),
    ),
    Row("GET", "/v1/auth/me/", keys=("success", "user")),
    # UsersViewSet
    *crud(
        "/v1/auth/users/",
        "member",
        {"email": "made@example.com", "password": "password-123-Long", "role": "editor"},
        {"role": "viewer"},
    ),
    Row(
        "POST",
        "/v1/auth/users/invite/",
        {"email": "invited@example.com", "role": "editor"},
        status=201,
        keys=("success", "data"),
    ),
    Row("POST", "/v1/auth/users/{member}/activate/", keys=("success", "data")),
    # AccountsViewSet
    *crud("/v1/auth/accounts/", "account", {"name": "Second brand house"}, {"name": "Renamed"}),
    # SiteViewSet
    *crud("/v1/auth/sites/", "spare_site", {"name": "Yoga blog"}, {"name": "Yoga journal"}),
    Row("GET", "/v1/auth/sites/{site}/sectors/", keys=("success", "data")),
    Row("POST", "/v1/auth/sites/{site}/set_active/", keys=("success", "data")),
    Row(
        "POST",
        "/v1/auth/sites/{site}/select_sectors/",
        lambda w: {
            "industry_slug": w["industry_slug"],
            "sector_slugs": [w["industry_sector_slug"]],
        },
        keys=("success", "data"),
    ),
    # SectorViewSet
    *crud(
        "/v1/auth/sectors/",
        "spare_sector",
        lambda w: {"site": w["site"], "name": "Mats"},
        lambda w: {"site": w["site"], "name": "Yoga mats"},
    ),
    # PlanViewSet, IndustryViewSet, SeedKeywordViewSet
    *read_only("/v1/auth/plans/", "plan"),
    *read_only("/v1/auth/industries/", "industry"),
    *read_only("/v1/auth/seed-keywords/", "seed_keyword"),
    # SiteUserAccessViewSet
    Row("GET", "/v1/auth/site-access/", keys=("count", "results")),
    Row(
        "POST",
        "/v1/auth/site-access/",
        lambda w: {"user": w["viewer"], "site": w["spare_site"]},
        status=201,
        keys=("success", "data"),
    ),
    Row("GET", "/v1/auth/site-access/{grant}/", keys=("success", "data")),
    Row(
        "PUT",
        "/v1/auth/site-access/{grant}/",
        lambda w: {"user": w["viewer"], "site": w["spare_site"]},
        keys=("success", "data"),
    ),
    Row("DELETE", "/v1/auth/site-access/{grant}/"),
    # SubscriptionsViewSet
    Row("GET", "/v1/auth/subscriptions/", keys=("count", "results")),
    Row(
        "POST",
        "/v1/auth/subscriptions/",
        lambda w: {"plan": w["free_plan"]},
        given=lambda w: _end_subscriptions(w["account"]),
        status=201,
        keys=("success", "data"),
    ),
    Row("GET", "/v1/auth/subscriptions/{subscription}/", keys=("success", "data")),
    Row(
        "PUT",
        "/v1/auth/subscriptions/{subscription}/",
        lambda w: {"plan": w["plan"]},
        keys=("success", "data"),
    ),
    Row(
        "DELETE",
        "/v1/auth/subscriptions/{subscription}/",
    ),
    Row("GET", "/v1/auth/subscriptions/by-account/{account_id}/", keys=("count", "results")),
    # Planner: KeywordViewSet
    *crud(
        "/v1/planner/keywords/",
        "keyword",
        _in_sector(keyword="yoga mat"),
        _in_sector(keyword="yoga mats"),
    ),
    Row(
        "POST",
        "/v1/planner/keywords/bulk_delete/",
        lambda w: {"ids": [w["keyword"]]},
        keys=("deleted_count",),
    ),
    Row(
        "POST",
        "/v1/planner/keywords/bulk_update_status/",
        lambda w: {"ids": [w["keyword"]], "status": "active"},
        keys=("updated_count",),
    ),
    Row(
        "POST",
        "/v1/planner/keywords/bulk_add_from_seed/",
        lambda w: {
            "seed_keyword_ids": [w["seed_keyword"]],
            "site_id": w["site"],
            "sector_id": w["sector"],
        },
        status=201,
        keys=("added_count", "keywords"),
    ),
    Row("GET", "/v1/planner/keywords/export/"),
    Row(
        "POST",
        "/v1/planner/keywords/import_keywords/",
        lambda w: {
            "file": SimpleUploadedFile("k.csv", b"keyword\nyoga retreat\n", "text/csv"),
            "sector_id": w["sector"],
        },
        fmt="multipart",
        keys=("imported_count", "errors"),
    ),
    Row(
        "POST",
        "/v1/planner/keywords/auto_cluster/",
        lambda w: {"ids": [w["keyword"], w["keyword2"]], "sector_id": w["sector"]},
        status=201,
        keys=TASK_STARTED,
    ),
    # ClusterViewSet
    *crud(
        "/v1/planner/clusters/", "cluster", _in_sector(name="Mats"), _in_sector(name="Yoga mats")
    ),
    Row(
        "POST",
        "/v1/planner/clusters/bulk_delete/",
        lambda w: {"ids": [w["cluster"]]},
        keys=("deleted_count",),
    ),
    Row(
        "POST",
        "/v1/planner/clusters/auto_generate_ideas/",
        lambda w: {"ids": [w["cluster"]]},
        status=201,
        keys=TASK_STARTED,
    ),
    # ContentIdeasViewSet
    *crud(
        "/v1/planner/ideas/",
        "idea",
        _in_sector(idea_title="Yoga mats guide"),
        _in_sector(idea_title="The yoga mats guide"),
    ),
    Row(
        "POST",
        "/v1/planner/ideas/bulk_delete/",
        lambda w: {"ids": [w["idea"]]},
        keys=("deleted_count",),
    ),
    Row(
        "POST",
        "/v1/planner/ideas/bulk_queue_to_writer/",
        lambda w: {"ids": [w["idea"]]},
        status=201,
        keys=("tasks_created", "tasks"),
    ),
    # Writer: TasksViewSet
    *crud("/v1/writer/tasks/", "task", _in_site(title="Yoga mats"), _in_site(title="Mats")),
    Row(
        "POST",
        "/v1/writer/tasks/bulk_delete/",
        lambda w: {"ids": [w["task"]]},
        keys=("deleted_count",),
    ),
    Row(
        "POST",
        "/v1/writer/tasks/bulk_update/",
        lambda w: {"ids": [w["task"]], "status": "review"},
        keys=("updated_count",),
    ),
    Row(
        "POST",
        "/v1/writer/tasks/auto_generate_content/",
        lambda w: {"ids": [w["task"]]},
        status=201,
        keys=TASK_STARTED,
    ),
    # ContentViewSet
    *crud("/v1/writer/content/", "content", _in_site(title="Yoga mats"), _in_site(title="Mats")),
    Row(
        "POST",
        "/v1/writer/content/generate_image_prompts/",
        lambda w: {"ids": [w["content"]]},
        status=201,
        keys=TASK_STARTED,
    ),
    # ImagesViewSet
    *crud(
        "/v1/writer/images/",
        "image",
        lambda w: {"content": w["content"], "prompt": "a mat"},
        lambda w: {"content": w["content"], "prompt": "a rolled mat"},
    ),
    Row("GET", "/v1/writer/images/{image}/file/", keys=("image_url",)),
    Row(
        "GET",
        "/v1/writer/images/content_images/",
        query={"content_id": "{content}"},
        keys=("images",),
    ),
    Row(
        "POST",
        "/v1/writer/images/auto_generate/",
        lambda w: {"ids": [w["content"]]},
        keys=("success", "images_created"),
    ),
    Row(
        "POST",
        "/v1/writer/images/generate_images/",
        lambda w: {"ids": [w["image"]]},
        status=201,
        keys=TASK_STARTED,
    ),
    Row(
        "POST",
        "/v1/writer/images/bulk_update/",
        lambda w: {"ids": [w["image"]], "status": "completed"},
        keys=("updated_count",),
    ),
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


@pytest.fixture(autouse=True)
def _offline_ai(no_ai_environment):  # noqa: F811
    """AI work runs on the built-in offline provider."""


@pytest.fixture
def world(owner, member_factory, settings):
    settings.GITEA_WEBHOOK_SECRET = GITEA_SECRET.decode()
    from flowline.reference.models import Industry, IndustrySector, SeedKeyword

    sector = SectorFactory(account=owner.account)
    site = sector.site
    industry = Industry.objects.create(name="Wellness", slug="wellness")
    industry_sector = IndustrySector.objects.create(industry=industry, name="Yoga", slug="yoga")
    seed = SeedKeyword.objects.create(
        keyword="yoga mat", industry=industry, sector=industry_sector, volume=900, difficulty=30
    )
    content = ContentFactory(account=owner.account, site=site, sector=sector)
    viewer = member_factory(owner, Role.VIEWER, all_sites=False)
    from flowline.billing.models import Plan

    return {
        "email": owner.user.email,
        "password": owner.password,
        "member": viewer.user.id,
        "viewer": viewer.user.id,
        "account": owner.account_id,
        "account_id": owner.account_id,
        "site": site.id,
        "spare_site": SectorFactory(account=owner.account).site_id,
        "sector": sector.id,
        "spare_sector": SectorFactory(account=owner.account, site=site).id,
        "industry": industry.id,
        "industry_slug": industry.slug,
        "industry_sector_slug": industry_sector.slug,
        "seed_keyword": seed.id,
        "plan": Plan.objects.order_by("id").values_list("id", flat=True).first(),
        "grant": SiteUserAccessFactory(account=owner.account, site=site, user=viewer.user).id,
        "subscription": SubscriptionFactory(account=owner.account).id,
        "keyword": KeywordFactory(account=owner.account, sector=sector).id,
        "keyword2": KeywordFactory(account=owner.account, sector=sector).id,
        "cluster": ClusterFactory(account=owner.account, sector=sector).id,
        "idea": ContentIdeaFactory(account=owner.account, sector=sector).id,
        "task": TaskFactory(account=owner.account, site=site, sector=sector).id,
        "content": content.id,
        "image": ImageFactory(
            account=owner.account, content=content, file=SimpleUploadedFile("mat.png", _png())
        ).id,
        "prompt": PromptFactory(account=owner.account).id,
        "author_profile": AuthorProfileFactory(account=owner.account).id,
        "strategy": StrategyFactory(account=owner.account).id,
        "job": str(JobFactory(account=owner.account).id),
        "system_setting": SystemSetting.objects.create(key="banner", value={"text": "hi"}).id,
        "account_setting": AccountSettingFactory(account=owner.account).id,
        "user_setting": UserSettingFactory(account=owner.account, user=owner.user).id,
        "module_setting": ModuleSettingFactory(account=owner.account).id,
        "ai_setting": AISettingFactory(account=owner.account).id,
        "usage": CreditUsageFactory(account=owner.account).id,
        # A request the frontend made, whose metrics it then reads.
        "request_id": owner.client.get("/api/v1/auth/me/")["X-Request-ID"],
        "free_plan": Plan.objects.filter(price_monthly=0, is_active=True).values_list(
            "id", flat=True
        )[0],
    }


def _end_subscriptions(account_id: int) -> None:
    """The account's subscription has ended: POST subscribes it anew."""
    from flowline.billing.models import Subscription

    Subscription.unscoped.filter(account_id=account_id).update(status=Subscription.Status.CANCELED)


@pytest.mark.parametrize("row", params(ROWS))
def test_documented_endpoint_answers_as_documented(row, owner, world):
    # given: the frontend signed in with a Bearer token (a staff user's for staff rows)
    if row.who == "staff":
        owner.user.is_staff = True
        owner.user.save(update_fields=["is_staff"])
    # when: it calls the documented path as written
    response = call(owner.client, row, BASE, world)
    # then: the documented status, and the documented keys where 003 reads them
    check(response, row)


def test_login_and_me_put_the_user_and_tokens_where_the_frontend_reads_them(owner):
    # given: the IGNY8 login form
    client = APIClient()
    # when
    login = client.post(
        "/api/v1/auth/login/", {"email": owner.user.email, "password": owner.password}
    ).json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login['tokens']['access']}")
    me = client.get("/api/v1/auth/me/").json()
    # then: the documented shapes, at the top level
    assert login["success"] is True and login["message"] == "Login successful"
    assert {"access", "refresh", "access_expires_at", "refresh_expires_at"} <= set(login["tokens"])
    assert {"id", "email", "role", "account"} <= set(login["user"])
    assert {"id", "email", "role", "account", "accessible_sites"} <= set(me["user"])
    # and: Flowline's own clients still find them in `data`
    assert login["data"]["user"]["id"] == me["data"]["id"] == owner.user.id


def test_progress_poll_reads_state_and_meta_at_the_top(owner, run_job):
    # given: a keyword clustering started the way the frontend starts it
    sector = SectorFactory(account=owner.account)
    ids = [KeywordFactory(account=owner.account, sector=sector).id for _ in range(2)]
    started = owner.client.post(
        "/api/v1/planner/keywords/auto_cluster/", {"ids": ids, "sector_id": sector.id}
    ).json()
    # when: it polls the progress endpoint with the task id it got at the top level
    progress = owner.client.get(
        f"/api/v1/system/settings/task_progress/{started['task_id']}/"
    ).json()
    # then
    assert started["success"] is True
    assert progress["state"] in {"PENDING", "PROGRESS", "SUCCESS", "FAILURE"}
    assert {"phase", "percentage"} <= set(progress["meta"])
