"""Generic over the URL router: every tenant-owned list endpoint, registered now or later,
costs a pinned number of queries, and the same number however many rows it lists.

It needs nothing per endpoint but a factory for the model (see core.testing.factories).
The counts are pinned in each app's `tests/query_counts.json` (router basename -> count,
the same on SQLite and PostgreSQL), so a change in a list's queries shows as a reviewed
diff. After a deliberate change, write the baselines again:

    FLOWLINE_QUERY_COUNTS=update pytest flowline/core/tests/test_list_query_counts.py

A list that cannot answer without parameters (a required `site_id`, say) is pinned by
its status instead; its app's own tests count its queries.
"""

import json
import os
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from config.api_router import router
from flowline.core.tenancy import is_tenant_model
from flowline.core.testing.factories import factory_for

API = "/api/v1"
ROOT = Path(__file__).resolve().parents[2]  # flowline/
UPDATE = os.environ.get("FLOWLINE_QUERY_COUNTS") == "update"


def _list_routes():
    for prefix, viewset, basename in router.registry:
        model = getattr(viewset, "model", None)
        if model is not None and is_tenant_model(model) and hasattr(viewset, "list"):
            yield pytest.param(prefix, viewset, basename, id=basename)


def _baseline_file(viewset) -> Path:
    app = viewset.__module__.split(".")[1]  # flowline.<app>.api...
    return ROOT / app / "tests" / "query_counts.json"


def _read(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def _write(path: Path, basename: str, measured) -> None:
    baseline = _read(path)
    baseline[basename] = measured
    path.write_text(json.dumps(dict(sorted(baseline.items())), indent=2) + "\n")


def _count(client, url: str) -> tuple[int, int, int]:
    """(status, queries, rows listed) of one page of the list."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": 100})
    rows = len(response.json().get("results", [])) if response.status_code == 200 else 0
    return response.status_code, len(queries), rows


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "viewset", "basename"), list(_list_routes()))
def test_a_list_costs_its_pinned_queries_however_many_rows(prefix, viewset, basename, owner):
    # given: one row of the endpoint's model, and what authentication caches warmed up
    factory = factory_for(basename, viewset.model)
    assert factory is not None, f"No TenantFactory for {viewset.model.__name__} ({basename})"
    factory(account=owner.account)
    url = f"{API}/{prefix}/"
    owner.client.get(url)

    # when: the list is read with one row, then with six (where the model allows six)
    status, one_row, _ = _count(owner.client, url)
    for _ in range(5):
        try:
            with transaction.atomic():
                factory(account=owner.account)
        except IntegrityError:  # one per account (or per user): one row is what it lists
            break
    _, six_rows, listed = _count(owner.client, url)

    # then: the same count, the pinned one
    measured = one_row if status == 200 else f"status {status}"
    path = _baseline_file(viewset)
    if UPDATE:
        _write(path, basename, measured)
    assert six_rows == one_row, f"{basename}: {one_row} queries for 1 row, {six_rows} for 6"
    pinned = _read(path)
    assert basename in pinned, (
        f"{basename} ({url}) has no pinned query count in {path.relative_to(ROOT.parent)}; "
        "run with FLOWLINE_QUERY_COUNTS=update and review the diff"
    )
    assert pinned[basename] == measured, (
        f"{basename} ({url}): {measured} queries, pinned {pinned[basename]} ({listed} rows listed)"
    )
