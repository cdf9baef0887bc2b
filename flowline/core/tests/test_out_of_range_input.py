"""Generic over the URL router and the OpenAPI schema: ids and numbers a column cannot hold
(beyond 64 bits, floats, negatives) and DELETE on endpoints that cannot delete are a 4xx,
never a 500, on every endpoint registered now or later.

The schema fuzzer (`make fuzz`) found these classes; these tests pin each one cheaply in
`make test`.
"""

import pytest

from config.api_router import router
from flowline.core.tenancy import is_tenant_model
from flowline.core.testing.factories import factory_for
from flowline.core.testing.openapi import assert_documented

pytestmark = pytest.mark.django_db
API = "/api/v1"
HUGE = "99999999999999999999999"
BAD_IDS = [HUGE, str(2**63), "-1", "0"]
BAD_NUMBERS = [HUGE, "-1.8e74", "1.5", "9223372036854775808", "-9223372036854775809"]


def _detail_routes():
    for prefix, viewset, basename in router.registry:
        has_detail = any(
            hasattr(viewset, name) for name in ("retrieve", "update", "partial_update", "destroy")
        )
        actions = [a for a in viewset.get_extra_actions() if a.detail]
        if has_detail or actions:
            yield pytest.param(prefix, viewset, id=basename)


def _bulk_routes():
    for prefix, viewset, basename in router.registry:
        for extra in viewset.get_extra_actions():
            if not extra.detail and extra.url_path.startswith("bulk_"):
                for method in extra.mapping:
                    yield pytest.param(
                        f"{prefix}/{extra.url_path}", method, id=f"{basename}-{extra.url_path}"
                    )


def _deletable_routes():
    for prefix, viewset, basename in router.registry:
        model = getattr(viewset, "model", None)
        if hasattr(viewset, "destroy") and model is not None and is_tenant_model(model):
            yield pytest.param(prefix, viewset, basename, id=basename)


@pytest.fixture
def staff_owner(owner):
    """The owner, also staff, so staff-only endpoints reach their lookup too."""
    owner.user.is_staff = True
    owner.user.save(update_fields=["is_staff"])
    return owner


@pytest.mark.parametrize(("prefix", "viewset"), list(_detail_routes()))
def test_path_id_the_column_cannot_hold_is_404(prefix, viewset, staff_owner):
    # given
    client = staff_owner.client
    actions = [a for a in viewset.get_extra_actions() if a.detail]

    for raw in BAD_IDS:
        # when / then: the object itself
        if hasattr(viewset, "retrieve"):
            response = client.get(f"{API}/{prefix}/{raw}/")
            assert response.status_code == 404, (raw, response.status_code, response.content)
            assert response.json()["success"] is False
        if hasattr(viewset, "destroy"):
            response = client.delete(f"{API}/{prefix}/{raw}/")
            assert response.status_code == 404, (raw, response.status_code, response.content)
        # and: every action on it
        for extra in actions:
            for method in extra.mapping:
                url = f"{API}/{prefix}/{raw}/{extra.url_path}/"
                response = getattr(client, method)(url, {}, format="json")
                assert response.status_code in (400, 404), (url, method, response.content)


@pytest.mark.parametrize(("path", "method"), list(_bulk_routes()))
@pytest.mark.parametrize(
    "ids",
    [[2**64], [2**63], [1.5], [-(2**70)], [True]],
    ids=["2^64", "2^63", "1.5", "-2^70", "true"],
)
def test_bulk_action_with_ids_the_column_cannot_hold_is_400(path, method, ids, staff_owner):
    # when
    response = getattr(staff_owner.client, method)(f"{API}/{path}/", {"ids": ids}, format="json")

    # then
    assert response.status_code == 400, (response.status_code, response.content)
    assert response.json()["success"] is False


@pytest.mark.parametrize(("prefix", "viewset", "basename"), list(_deletable_routes()))
def test_delete_on_an_endpoint_that_routes_it_never_fails(prefix, viewset, basename, owner):
    # given
    factory = factory_for(basename, viewset.model)
    obj = factory(account=owner.account)
    lookup = getattr(obj, viewset.lookup_field)

    # when
    response = owner.client.delete(f"{API}/{prefix}/{lookup}/")

    # then: deleted, or refused by a business rule, never a crash
    assert response.status_code < 500, response.content
    assert response.status_code in (200, 400, 403, 404, 409), response.content
    assert response.json()["success"] is (response.status_code == 200)


def test_read_only_endpoints_do_not_route_delete(owner):
    # given: a read-only endpoint and one of its rows
    from flowline.jobs.tests.factories import JobFactory

    job = JobFactory(account=owner.account)

    # when
    response = owner.client.delete(f"{API}/jobs/{job.id}/")

    # then
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def _number_query_parameters():
    from flowline.core.schema import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in document["paths"].items():
        if "{" in path or "get" not in operations:
            continue
        for parameter in operations["get"].get("parameters", []):
            kind = parameter.get("schema", {}).get("type")
            # `page` is pagination's (a page that is not one is a 404: test_pagination.py)
            if (
                parameter["in"] == "query"
                and kind in ("integer", "number")
                and parameter["name"] not in ("page",)
            ):
                name = parameter["name"]
                yield pytest.param(path, name, id=f"{path}?{name}")


@pytest.mark.parametrize(("path", "name"), list(_number_query_parameters()))
def test_number_parameter_the_column_cannot_hold_is_a_4xx_or_matches_nothing(
    path, name, staff_owner
):
    for raw in BAD_NUMBERS:
        # when
        response = staff_owner.client.get(path, {name: raw})

        # then: filtered (nothing matches), refused, or, for a parameter that names the
        # one row to read (`automation/config/?site_id=`), not found
        status = response.status_code
        assert status in (200, 400, 404), (raw, status, response.content)
        body = response.json()
        if "success" in body:  # Flowline's envelope
            assert body["success"] is (status == 200)
        else:  # a seed's own shape (Elinara's raw errors), exactly as the schema has it
            assert_documented(response, "get", path)
