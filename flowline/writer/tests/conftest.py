import pytest
from django.test import TestCase

from flowline.ai.testing.fixtures import fake_openai, no_ai_environment  # noqa: F401


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored files land in a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _offline_unless_configured(no_ai_environment):  # noqa: F811
    """No developer key leaks in: accounts without a provider get the offline one."""


@pytest.fixture
def run_job():
    """Run a queued job the way a worker would; returns it, finished."""
    from flowline.jobs import services
    from flowline.jobs.models import Job

    def run(task_id) -> Job:
        # A worker's transactions commit: their on-commit work (file deletes) happens.
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
