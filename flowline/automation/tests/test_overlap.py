"""Run starts for one site at the same moment, from several workers or requests: exactly
one run opens (the partial unique constraint decides when the service's check races)."""

import pytest
from django.db import connection

from flowline.automation.models import AutomationRun
from flowline.automation.services import runs
from flowline.core.errors import ConflictError
from flowline.core.tenancy import tenant_scope
from flowline.core.testing.race import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # SQLite's shared-cache test database answers "table is locked" instead of waiting.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]


def test_concurrent_starts_open_one_run(owner, sector, two_tasks):
    def click() -> str:
        try:  # each in the member's scope, as a request (or the scheduler) enters it
            with tenant_scope(owner.account_id, user_id=owner.user.id):
                runs.run_start(site=sector.site, user_id=owner.user.id)
        except ConflictError as exc:
            return exc.code
        return "started"

    outcomes = race(click, count=4, timeout=30)

    assert sorted(outcomes) == ["automation_running"] * 3 + ["started"]
    assert AutomationRun.unscoped.filter(site=sector.site).count() == 1
