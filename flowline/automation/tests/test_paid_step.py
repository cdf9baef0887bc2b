"""`billing.public.paid_step`, which automation pays each step with: held before the work,
charged when it ends, given back when it raises, refused before any work when short."""

import pytest

from flowline.automation.tests.helpers import charges, set_credits
from flowline.billing import public as billing
from flowline.billing.models import CreditHold
from flowline.core.errors import PaymentRequiredError

pytestmark = pytest.mark.django_db


def test_a_step_that_ends_is_charged_once(owner):
    set_credits(owner.account_id, 30)
    with billing.paid_step(account_id=owner.account_id, operation_type="content") as cost:
        assert billing.available_credits(account_id=owner.account_id) == 20  # held
    assert cost.credits == 10
    assert charges(owner.account_id) == [("content", 10)]
    assert billing.available_credits(account_id=owner.account_id) == 20


def test_a_step_that_raises_gives_the_credits_back(owner):
    set_credits(owner.account_id, 30)
    step = billing.paid_step(account_id=owner.account_id, operation_type="images", quantity=3)
    with pytest.raises(RuntimeError), step:
        raise RuntimeError("the provider went away")
    assert charges(owner.account_id) == []
    assert billing.available_credits(account_id=owner.account_id) == 30
    assert CreditHold.unscoped.get().status == "released"


def test_a_step_that_cannot_be_paid_never_starts(owner):
    set_credits(owner.account_id, 5)
    started = []
    step = billing.paid_step(account_id=owner.account_id, operation_type="content")
    with pytest.raises(PaymentRequiredError) as refused, step:
        started.append(True)
    assert started == []
    assert refused.value.extra == {"credits_needed": 10, "credits_available": 5}
