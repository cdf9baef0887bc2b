"""`auth/plans/` (public) and `auth/subscriptions/` (the account's, admins and owners)."""

import pytest

from flowline.billing.models import Plan, Subscription
from flowline.billing.tests.factories import SubscriptionFactory
from flowline.core.roles import Role

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/auth/plans/"
SUBSCRIPTIONS = "/api/v1/auth/subscriptions/"


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_plans_are_public_and_loaded_by_migration(api_client):
    # when
    rows = _rows(api_client.get(PLANS))

    # then
    slugs = [row["slug"] for row in rows]
    assert {"free", "starter", "growth", "scale"} <= set(slugs)
    assert [row["is_default"] for row in rows].count(True) == 1
    assert rows[0]["slug"] == "free"


def test_plan_prices_are_strings_with_two_decimals(api_client):
    # given
    plan = Plan.objects.get(slug="starter")

    # when
    data = api_client.get(f"{PLANS}{plan.id}/").json()["data"]

    # then
    assert data["price_monthly"] == "29.00"
    assert data["monthly_credits"] == plan.monthly_credits


def test_inactive_plan_is_not_offered(api_client):
    # given
    Plan.objects.filter(slug="scale").update(is_active=False)

    # when
    rows = _rows(api_client.get(PLANS))

    # then
    assert "scale" not in [row["slug"] for row in rows]


def test_plans_are_read_only(owner):
    # when
    response = owner.client.post(PLANS, {"name": "Free forever", "slug": "forever"})

    # then
    assert response.status_code == 405


def test_new_account_is_subscribed_to_the_default_plan(owner):
    # when
    rows = _rows(owner.client.get(SUBSCRIPTIONS))

    # then
    assert len(rows) == 1
    assert rows[0]["account"] == owner.account_id
    assert rows[0]["status"] == "active"
    assert rows[0]["plan_detail"]["slug"] == "free"


def test_subscriptions_by_own_account_lists_them(owner):
    # when
    response = owner.client.get(f"{SUBSCRIPTIONS}by-account/{owner.account_id}/")

    # then
    assert [row["account"] for row in _rows(response)] == [owner.account_id]


def test_subscriptions_by_another_account_is_404(owner, other_owner):
    # when
    response = owner.client.get(f"{SUBSCRIPTIONS}by-account/{other_owner.account_id}/")

    # then
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_another_accounts_subscription_is_404(owner, other_owner):
    # given
    theirs = Subscription.unscoped.get(account=other_owner.account)

    # when
    response = owner.client.get(f"{SUBSCRIPTIONS}{theirs.id}/")

    # then
    assert response.status_code == 404


def test_editor_cannot_read_subscriptions(owner, member_factory):
    # given
    editor = member_factory(owner, Role.EDITOR)

    # when
    response = editor.client.get(SUBSCRIPTIONS)

    # then
    assert response.status_code == 403


def test_admin_reads_subscriptions(owner, member_factory):
    # given
    admin = member_factory(owner, Role.ADMIN)

    # when
    response = admin.client.get(SUBSCRIPTIONS)

    # then
    assert len(_rows(response)) == 1


def test_a_paid_plan_cannot_be_taken_through_the_subscription_api(owner):
    """Creating and changing subscriptions is allowed (issue 13), but a paid plan is only
    reached through checkout: 402 and nothing changes."""
    # given
    subscription = Subscription.unscoped.get(account=owner.account)
    growth = Plan.objects.get(slug="growth")

    # when
    patched = owner.client.patch(f"{SUBSCRIPTIONS}{subscription.id}/", {"plan": growth.id})
    created = owner.client.post(SUBSCRIPTIONS, {"plan": growth.id})

    # then
    assert (patched.status_code, created.status_code) == (402, 409)
    assert patched.json()["code"] == "checkout_required"
    subscription.refresh_from_db()
    assert (subscription.plan.slug, subscription.pending_plan_id) == ("free", None)


def test_subscriptions_filter_by_status(owner):
    # given
    canceled = SubscriptionFactory(account=owner.account, status=Subscription.Status.CANCELED)

    # when
    response = owner.client.get(SUBSCRIPTIONS, {"status": "canceled"})

    # then
    assert [row["id"] for row in _rows(response)] == [canceled.id]


@pytest.mark.parametrize("rows", [3, 30])
def test_subscription_list_query_count_does_not_grow_with_rows(
    owner, rows, django_assert_num_queries
):
    # given
    SubscriptionFactory.create_batch(rows, account=owner.account)

    # when / then: membership lookup, count, page with plans joined
    with django_assert_num_queries(3):
        response = owner.client.get(SUBSCRIPTIONS, {"page_size": 100})
    assert response.json()["count"] == rows + 1
