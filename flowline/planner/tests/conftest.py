import pytest

from flowline.ai.testing.fixtures import fake_openai, no_ai_environment  # noqa: F401
from flowline.sites.tests.factories import SectorFactory

API = "/api/v1/planner"


@pytest.fixture(autouse=True)
def _offline_unless_configured(no_ai_environment):  # noqa: F811
    """No developer key leaks in: accounts without a provider get the offline one."""


@pytest.fixture
def sector(owner):
    """A sector (on its own site) of the owner's account."""
    return SectorFactory(account=owner.account, name="Yoga")


@pytest.fixture
def foreign_sector(other_owner):
    return SectorFactory(account=other_owner.account, name="Elsewhere")


@pytest.fixture
def plan_limits(owner):
    """Change the owner's plan limits for one test: plan_limits(max_keywords=3)."""
    from flowline.billing.public import active_plan

    def set_limits(**limits):
        plan = active_plan(owner.account_id)
        for name, value in limits.items():
            setattr(plan, name, value)
        plan.save()

    return set_limits
