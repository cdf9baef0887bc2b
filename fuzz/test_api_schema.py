"""Schema fuzzing: every operation of the OpenAPI schema, with inputs the schema allows and
inputs it does not, never answers a 5xx and always answers as the schema says (a documented
status code, content type and body).

Run with `make fuzz`. Schemathesis (its examples, coverage and fuzzing phases) generates
the requests from a fixed seed, a bounded number per operation, and sends them through the
WSGI application in this process: the same middleware, views and database as a served
request, inside the test's transaction, as the account owner seeded by `conftest.py`. A
path `{id}` is now and then one of that account's rows, so updates and actions run on real
objects, not only on ids that do not exist.
"""

import os
import re

import pytest
import schemathesis
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from flowline.core.schema import SchemaGenerator
from flowline.core.tenancy import dangerously_bypass_tenancy, is_tenant_model

SEED = 20240601
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "10"))


@schemathesis.check
def not_a_crash(ctx, response, case):
    """A 5xx fails the run, except the 502 and 503 every operation documents (an outside
    service failed, or is not configured on this server): those are answers, not crashes.
    A 500 never passes."""
    if response.status_code >= 500 and response.status_code not in (502, 503):
        raise AssertionError(f"Server error: {response.status_code}")


CHECKS = [
    not_a_crash,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _load():
    document = SchemaGenerator().get_schema(request=None, public=True)
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"deterministic": True, "no-shrink": True, "database": "none"},
            "phases": {"stateful": {"enabled": False}},
        }
    )
    loaded = schemathesis.openapi.from_dict(document, config=config)
    loaded.app = application
    # One include filter (schemathesis joins several with "or"): the operations that match
    # FUZZ_OPERATIONS, a regex on "METHOD /path" to narrow a run, and of those every n-th
    # from k when FUZZ_SHARD is "k/n" (fuzz/run.py runs the shards side by side).
    names = [operation.ok().label for operation in loaded.get_all_operations()]
    only = os.environ.get("FUZZ_OPERATIONS")
    if only:
        names = [name for name in names if re.search(only, name)]
    shard = os.environ.get("FUZZ_SHARD")
    if shard:
        index, count = (int(part) for part in shard.split("/"))
        names = names[index::count]
    return loaded.include(name=names) if names else None


schema = _load()
if schema is None:
    pytest.skip("no operation matches FUZZ_OPERATIONS in this shard", allow_module_level=True)
_ACCOUNT = {}


def _row_ids(path: str) -> list:
    """Up to three lookup values of the rows behind a detail path, in the fuzzed account."""
    try:
        match = resolve(path.replace("{id}", "1"))
    except Resolver404:
        return []
    view = getattr(match.func, "cls", None)
    model = getattr(view, "model", None) or getattr(getattr(view, "queryset", None), "model", None)
    if model is None:
        return []
    lookup = view.lookup_field
    with dangerously_bypass_tenancy():
        rows = model._default_manager.all()
        if is_tenant_model(model):
            rows = model.unscoped.filter(account_id=_ACCOUNT["id"])
        return [str(value) for value in rows.order_by("pk").values_list(lookup, flat=True)[:3]]


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    if not path_parameters or "id" not in path_parameters:
        return st.just(path_parameters)
    ids = _row_ids(context.operation.path)
    return st.sampled_from([path_parameters["id"], *ids]).map(
        lambda value: {**path_parameters, "id": value}
    )


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_operation_answers_as_documented(case, fuzz_owner):
    _ACCOUNT["id"] = fuzz_owner.member.account_id
    case.call_and_validate(headers=fuzz_owner.headers, checks=CHECKS)
