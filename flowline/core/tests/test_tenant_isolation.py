"""Generic over the URL router: for every tenant-owned endpoint registered now or later,
another account's object is invisible (404) and untouched by any route.

It needs nothing per endpoint but a factory for the model (see core.testing.factories).
"""

import pytest
from django.forms.models import model_to_dict

from config.api_router import router
from flowline.core.tenancy import dangerously_bypass_tenancy, is_tenant_model
from flowline.core.testing.factories import factory_for

API = "/api/v1"


def _tenant_routes():
    for prefix, viewset, basename in router.registry:
        model = getattr(viewset, "model", None)
        if model is not None and is_tenant_model(model):
            yield pytest.param(prefix, viewset, basename, id=basename)


def _snapshot(obj):
    # Bypass: many-to-many fields of model_to_dict go through the related model's scoped
    # manager, and the snapshot is taken outside any account.
    with dangerously_bypass_tenancy():
        fresh = type(obj).unscoped.filter(pk=obj.pk).first()
        return None if fresh is None else model_to_dict(fresh)


def _route_actions(viewset):
    """Extra actions as (url_path, methods, detail)."""
    for extra in viewset.get_extra_actions():
        yield extra.url_path, [m.lower() for m in extra.mapping], extra.detail


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "viewset", "basename"), list(_tenant_routes()))
def test_other_accounts_object_is_invisible_and_untouchable(
    prefix, viewset, basename, owner, other_owner
):
    # given: an object in the owner's account
    factory = factory_for(basename, viewset.model)
    assert factory is not None, f"No TenantFactory for {viewset.model.__name__} ({basename})"
    obj = factory(account=owner.account)
    lookup = getattr(obj, viewset.lookup_field)
    lookup = lookup if isinstance(lookup, int) else str(lookup)
    before = _snapshot(obj)
    detail_url = f"{API}/{prefix}/{lookup}/"
    allowed = {m for m in viewset.http_method_names}
    has_retrieve = hasattr(viewset, "retrieve")

    # the owner sees it (so the 404s below are about tenancy, not a broken endpoint)
    if has_retrieve:
        assert owner.client.get(detail_url).status_code == 200
    if hasattr(viewset, "list"):
        mine = owner.client.get(f"{API}/{prefix}/", {"page_size": 100})
        assert mine.status_code == 200
        assert lookup in [row.get("id") for row in mine.json()["results"]] or lookup in [
            row.get(viewset.lookup_field) for row in mine.json()["results"]
        ]

    # when / then: the other account's owner cannot see or change it anywhere
    intruder = other_owner.client
    if hasattr(viewset, "list"):
        listed = intruder.get(f"{API}/{prefix}/", {"page_size": 100})
        assert listed.status_code == 200
        assert lookup not in [row.get("id") for row in listed.json()["results"]]
    if has_retrieve:
        assert intruder.get(detail_url).status_code == 404
    if hasattr(viewset, "update"):
        for method in ("patch", "put"):
            if method in allowed:
                response = getattr(intruder, method)(detail_url, {}, format="json")
                assert response.status_code == 404, (method, response.content)
    if hasattr(viewset, "destroy"):
        assert intruder.delete(detail_url).status_code == 404
    for url_path, methods, detail in _route_actions(viewset):
        for method in methods:
            if detail:
                response = getattr(intruder, method)(f"{detail_url}{url_path}/", {}, format="json")
                assert response.status_code == 404, (url_path, method, response.content)
            elif url_path.startswith("bulk_"):
                response = getattr(intruder, method)(
                    f"{API}/{prefix}/{url_path}/", {"ids": [obj.pk]}, format="json"
                )
                assert response.status_code in (400, 404), (url_path, response.content)
                assert response.json()["success"] is False
    assert _snapshot(obj) == before
