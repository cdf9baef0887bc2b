"""003 `POST auth/subscriptions/` and `PUT/PATCH auth/subscriptions/{id}/` by billing's
rules: free plans start at once, paid ones through checkout, other changes at the
period's end (no proration)."""

import pytest

from flowline.billing.models import CreditBalance, Plan, Subscription
from flowline.billing.services.subscriptions import subscriptions_renew_due
from flowline.core.roles import Role

pytestmark = pytest.mark.django_db

SUBS = "/api/v1/auth/subscriptions/"


def _plan(slug: str) -> Plan:
    return Plan.objects.get(slug=slug)


def _active(member) -> Subscription:
    return Subscription.unscoped.get(account_id=member.account_id, status="active")


def test_an_account_without_a_subscription_subscribes_to_a_free_plan(owner):
    # given: its subscription ended at its period's end (and its credits with it)
    subscription = _active(owner)
    owner.client.patch(f"{SUBS}{subscription.id}/", {"cancel_at_period_end": True})
    subscriptions_renew_due(now=subscription.current_period_end)
    assert CreditBalance.unscoped.get(account_id=owner.account_id).granted == 0

    # when
    response = owner.client.post(SUBS, {"plan": _plan("free").id}, format="json")

    # then
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert (data["status"], data["plan"]) == ("active", _plan("free").id)
    assert CreditBalance.unscoped.get(account_id=owner.account_id).granted == 100


def test_subscribing_while_subscribed_is_409(owner):
    # when
    response = owner.client.post(SUBS, {"plan": _plan("free").id}, format="json")

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "subscription_exists"


def test_a_paid_plan_is_started_through_checkout(owner):
    # given
    Subscription.unscoped.filter(account_id=owner.account_id).update(status="canceled")

    # when
    response = owner.client.post(SUBS, {"plan": _plan("growth").id}, format="json")

    # then
    assert response.status_code == 402
    assert response.json()["code"] == "checkout_required"
    assert not Subscription.unscoped.filter(account_id=owner.account_id, status="active").exists()


def test_a_downgrade_waits_for_the_period_end_then_renewal_switches(owner):
    # given: on the starter plan
    subscription = _active(owner)
    Subscription.unscoped.filter(id=subscription.id).update(plan=_plan("starter"))

    # when
    response = owner.client.put(f"{SUBS}{subscription.id}/", {"plan": _plan("free").id})

    # then: nothing changes now; renewal moves to the new plan and grants its credits
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["plan"], data["pending_plan"]) == (_plan("starter").id, _plan("free").id)
    subscriptions_renew_due(now=subscription.current_period_end)
    subscription.refresh_from_db()
    assert (subscription.plan.slug, subscription.pending_plan_id) == ("free", None)
    assert CreditBalance.unscoped.get(account_id=owner.account_id).granted == 100


def test_an_upgrade_is_a_checkout_and_changes_nothing(owner):
    # given
    subscription = _active(owner)

    # when
    response = owner.client.patch(f"{SUBS}{subscription.id}/", {"plan": _plan("scale").id})

    # then
    assert response.status_code == 402
    assert response.json()["code"] == "checkout_required"
    subscription.refresh_from_db()
    assert subscription.pending_plan_id is None


def test_cancel_at_period_end_and_withdrawing_a_scheduled_change(owner):
    # given
    subscription = _active(owner)
    Subscription.unscoped.filter(id=subscription.id).update(
        plan=_plan("starter"), pending_plan=_plan("free")
    )

    # when
    response = owner.client.patch(
        f"{SUBS}{subscription.id}/",
        {"plan": None, "cancel_at_period_end": True},
        format="json",
    )

    # then
    assert response.status_code == 200, response.content
    subscription.refresh_from_db()
    assert (subscription.pending_plan_id, subscription.cancel_at_period_end) == (None, True)


def test_a_card_billed_subscription_is_not_edited_here(owner):
    # given
    subscription = _active(owner)
    Subscription.unscoped.filter(id=subscription.id).update(external_id="sub_123")

    # when
    response = owner.client.patch(f"{SUBS}{subscription.id}/", {"cancel_at_period_end": True})

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "billed_by_stripe"


def test_bad_input_is_400_and_roles_and_tenants_hold(owner, other_owner, member_factory):
    # given
    subscription = _active(owner)
    editor = member_factory(owner, Role.EDITOR)

    # when
    unknown_plan = owner.client.patch(f"{SUBS}{subscription.id}/", {"plan": 2**70}, format="json")
    float_plan = owner.client.patch(f"{SUBS}{subscription.id}/", {"plan": 1.5}, format="json")
    extra = owner.client.patch(f"{SUBS}{subscription.id}/", {"status": "active"}, format="json")
    by_editor = editor.client.patch(f"{SUBS}{subscription.id}/", {"cancel_at_period_end": True})
    foreign = other_owner.client.patch(f"{SUBS}{subscription.id}/", {"cancel_at_period_end": True})

    # then
    assert (unknown_plan.status_code, float_plan.status_code, extra.status_code) == (
        400,
        400,
        400,
    )
    assert (by_editor.status_code, foreign.status_code) == (403, 404)
    subscription.refresh_from_db()
    assert subscription.cancel_at_period_end is False


def test_delete_cancels_at_the_periods_end_and_keeps_the_subscription(owner, member_factory):
    # given: an active subscription, and an editor who may not cancel it
    subscription = _active(owner)
    editor = member_factory(owner, Role.EDITOR)
    assert editor.client.delete(f"{SUBS}{subscription.id}/").status_code == 403

    # when: an owner cancels it
    response = owner.client.delete(f"{SUBS}{subscription.id}/")

    # then: it runs to the end of the period it was paid for, and ends at its renewal
    assert response.status_code == 200, response.content
    assert response.json()["data"]["cancel_at_period_end"] is True
    subscription.refresh_from_db()
    assert (subscription.status, subscription.cancel_at_period_end) == ("active", True)
    subscriptions_renew_due(now=subscription.current_period_end)
    subscription.refresh_from_db()
    assert subscription.status != "active"
