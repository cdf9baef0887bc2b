"""Fixtures every test can use: API clients, users with accounts, signing in."""

import pytest

from flowline.core.roles import Role
from flowline.core.testing import members
from flowline.core.testing.client import CommittingAPIClient as APIClient

# Browser tests in real Chromium (skipped, and said so, when there is none).
pytest_plugins = ["flowline.core.testing.browser", "flowline.core.testing.workers"]


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def owner(db) -> members.Member:
    """The owner of a fresh account, signed in with a Bearer token."""
    return members.new_owner()


@pytest.fixture
def other_owner(db) -> members.Member:
    """The owner of a second, unrelated account."""
    return members.new_owner(email="other-owner@example.com")


@pytest.fixture
def member_factory(db):
    """Add a member with a role to an account: member_factory(owner, Role.EDITOR)."""

    def make(owner: members.Member, role: str = Role.VIEWER, **kwargs) -> members.Member:
        return members.add_member(owner.account, role=role, **kwargs)

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached values never leak from one test into the next."""
    from django.core.cache import cache

    from flowline.core import counters

    cache.clear()
    counters.reset()  # the throttles' in-process fallback and its outage state
    yield


@pytest.fixture(scope="session", autouse=True)
def _test_job_kinds():
    """Register the job kinds tests drive (flowline.jobs.testing)."""
    import flowline.jobs.testing  # noqa: F401


@pytest.fixture
def run_job():
    """Run a queued job the way a worker would, in this thread; returns it, finished.
    The worker's transactions commit, so their on-commit work (file deletes) happens."""
    from django.test import TestCase

    from flowline.jobs import services
    from flowline.jobs.models import Job

    def run(task_id) -> Job:
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.run(task_id)
        return Job.unscoped.get(id=task_id)

    return run


@pytest.fixture
def credits_of():
    """The account's (available, held) credits."""
    from flowline.billing.models import CreditBalance

    def read(member) -> tuple[int, int]:
        balance = CreditBalance.unscoped.get(account_id=member.account_id)
        return balance.available, balance.held

    return read
