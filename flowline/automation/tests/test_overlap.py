"""Run starts for one site at the same moment, from several workers or requests: exactly
one run opens (the partial unique constraint decides when the service's check races)."""

import threading

import pytest
from django.db import connection

from flowline.automation.models import AutomationRun
from flowline.automation.services import runs
from flowline.core.errors import ConflictError

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # SQLite's shared-cache test database answers "table is locked" instead of waiting.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]


def test_concurrent_starts_open_one_run(owner, sector, two_tasks):
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def click():
        try:
            start.wait(10)
            runs.run_start(site=sector.site, user_id=owner.user.id)
            outcomes.append("started")
        except ConflictError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes) == ["automation_running"] * 3 + ["started"]
    assert AutomationRun.unscoped.filter(site=sector.site).count() == 1
