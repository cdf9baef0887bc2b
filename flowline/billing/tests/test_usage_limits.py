"""`billing/credits/usage/limits/` reports every limit the plan sets with its current
usage; throttles follow the plan where the plan sets rates, above or below the
installation's; every limit reported is enforced."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings

from flowline.ai import public as ai
from flowline.ai.models import AICall
from flowline.ai.testing.fixtures import no_ai_environment  # noqa: F401
from flowline.billing.models import Plan, Subscription
from flowline.billing.public import subscription_start
from flowline.core.tenancy import tenant_scope
from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.planner.tests.factories import ClusterFactory, ContentIdeaFactory, KeywordFactory

pytestmark = pytest.mark.django_db

LIMITS = "/api/v1/billing/credits/usage/limits/"


def test_limits_report_usage_for_every_limit_of_the_plan(owner):
    # given: 3 keywords, 2 clusters, 1 idea; 2 AI calls this period, 1 before it
    KeywordFactory.create_batch(3, account=owner.account)
    ClusterFactory.create_batch(2, account=owner.account)
    ContentIdeaFactory(account=owner.account)
    with tenant_scope(owner.account_id):
        for _ in range(2):
            ai.chat(
                account_id=owner.account_id,
                messages=[{"role": "user", "content": "hi"}],
                operation="test",
            )
    old = AICall.unscoped.create(account_id=owner.account_id, operation="test", provider="x")
    period_start = Subscription.unscoped.get(account_id=owner.account_id).current_period_start
    AICall.unscoped.filter(id=old.id).update(created_at=period_start - timedelta(days=1))

    # when
    response = owner.client.get(LIMITS)

    # then
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert set(data["plan_limits"]) == {
        "max_keywords",
        "max_clusters",
        "max_ideas",
        "max_ai_requests",
        "max_sites",
        "max_users",
    }
    assert {name.removeprefix("max_") for name in data["plan_limits"]} == set(data["current_usage"])
    usage = data["current_usage"]
    assert (usage["keywords"], usage["clusters"], usage["ideas"], usage["ai_requests"]) == (
        3,
        2,
        1,
        2,
    )
    assert usage["sites"] >= 1 and usage["users"] == 1
    assert data["period_start"] and data["period_end"]


def test_another_accounts_rows_are_not_counted(owner, other_owner):
    # given
    KeywordFactory.create_batch(4, account=other_owner.account)

    # when
    usage = owner.client.get(LIMITS).json()["data"]["current_usage"]

    # then
    assert usage["keywords"] == 0


def _plan_with_rates(member, rates: dict) -> Plan:
    plan = Plan.objects.create(name="Rated", slug="rated", rate_limits=rates)
    subscription_start(account_id=member.account_id, plan=plan)
    return plan


def _base_rates(**rates):
    framework = {**settings.REST_FRAMEWORK}
    framework["DEFAULT_THROTTLE_RATES"] = {**framework["DEFAULT_THROTTLE_RATES"], **rates}
    return override_settings(REST_FRAMEWORK=framework)


def _statuses(member, n: int) -> list[int]:
    return [member.client.get("/api/v1/auth/sites/").status_code for _ in range(n)]


def test_a_plans_rate_raises_the_installations_for_its_accounts_only(owner, other_owner):
    # given: the installation allows 2 requests a minute; the owner's plan 4
    _plan_with_rates(owner, {"user": "4/min"})

    # when
    with _base_rates(user="2/min"):
        mine, theirs = _statuses(owner, 5), _statuses(other_owner, 3)

    # then
    assert mine == [200, 200, 200, 200, 429]
    assert theirs == [200, 200, 429]


def test_a_plan_rate_over_another_period_is_counted_over_that_period(owner):
    # given: 100 a minute by default; the plan allows 3 an hour
    _plan_with_rates(owner, {"user": "3/hour"})

    # when
    with _base_rates(user="100/min"):
        statuses = _statuses(owner, 4)

    # then: the fourth request of the hour is refused, with the hour's wait
    assert statuses == [200, 200, 200, 429]
    with _base_rates(user="100/min"):
        refused = owner.client.get("/api/v1/auth/sites/")
    assert refused.status_code == 429
    assert 60 < int(refused["Retry-After"]) <= 3600


def test_a_plan_rate_below_the_installations_lowers_it_for_its_accounts_only(owner, other_owner):
    # given: the installation allows 3 a minute; the owner's plan 1
    _plan_with_rates(owner, {"user": "1/min"})

    # when
    with _base_rates(user="3/min"):
        mine, theirs = _statuses(owner, 2), _statuses(other_owner, 4)

    # then: the plan's rate is the account's, lower as well as higher
    assert mine == [200, 429]
    assert theirs == [200, 200, 200, 429]


def test_a_plan_lowers_the_ai_scope_too(owner):
    # given: the plan allows one AI start a minute, the installation 60
    _plan_with_rates(owner, {"ai": "1/min"})

    # when
    with _base_rates(ai="60/min"):
        statuses = [
            owner.client.post(
                "/api/v1/ai/generate/description/", {"name": "Mug"}, format="json"
            ).status_code
            for _ in range(2)
        ]

    # then
    assert statuses == [200, 429]


def test_a_plan_edited_in_the_admin_changes_its_accounts_rates_at_the_next_request(owner):
    # given: the account's plan sets no rate
    plan = _plan_with_rates(owner, {})

    # when: staff give the plan a low rate
    plan.rate_limits = {"user": "1/min"}
    plan.save()
    with _base_rates(user="3/min"):
        statuses = _statuses(owner, 2)

    # then
    assert statuses == [200, 429]


def test_an_api_key_request_is_throttled_by_the_plan_too(owner):
    # given
    from flowline.identity.public import api_key_create

    _plan_with_rates(owner, {"user": "1/min"})
    key = api_key_create(
        account_id=owner.account_id, user=owner.user, name="k", scopes=["sites:read"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key.secret}")

    # when
    with _base_rates(user="3/min"):
        statuses = [client.get("/api/v1/auth/sites/").status_code for _ in range(2)]

    # then
    assert statuses == [200, 429]


def test_malformed_plan_rates_are_ignored_and_reported_as_none(owner):
    # given
    _plan_with_rates(owner, {"user": "lots", "ai": "0/min", "unknown": "5/min"})

    # when
    response = owner.client.get(LIMITS)

    # then
    assert response.status_code == 200
    assert response.json()["data"]["rate_limits"] == {}


@pytest.mark.usefixtures("no_ai_environment")
def test_an_ai_request_past_the_plans_max_ai_requests_is_refused_with_nothing_written(owner):
    # given: the plan allows 1 AI request a period and it has been made
    from flowline.billing.models import CreditBalance
    from flowline.commerce.models import Product
    from flowline.commerce.tests.factories import ProductFactory

    plan = Subscription.unscoped.get(account_id=owner.account_id).plan
    plan.max_ai_requests = 1
    plan.save()
    product = ProductFactory(account=owner.account, name="Mug", description="As it was")
    url = "/api/v1/ai/generate/description/"
    assert owner.client.post(url, {"name": "Mug"}, format="json").status_code == 200
    available = CreditBalance.unscoped.get(account_id=owner.account_id).available

    # when
    response = owner.client.post(url, {"product_id": product.id, "save": True}, format="json")

    # then: a clear 402 naming the limit; no AI call, no charge, the product unchanged
    assert response.status_code == 402, response.content
    body = response.json()
    assert body["code"] == "plan_limit_exceeded"
    assert (body["limit"], body["allowed"], body["current"]) == ("max_ai_requests", 1, 1)
    assert AICall.unscoped.filter(account_id=owner.account_id).count() == 1
    assert CreditBalance.unscoped.get(account_id=owner.account_id).available == available
    assert Product.unscoped.get(id=product.id).description == "As it was"
    usage = owner.client.get(LIMITS).json()["data"]
    assert usage["current_usage"]["ai_requests"] == usage["plan_limits"]["max_ai_requests"] == 1
