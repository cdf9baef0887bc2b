"""The filter backend builds each view's FilterSet once and skips it when no parameter
can be one of its filters, without changing what a list answers."""

import pytest

from flowline.core.filters import FilterBackend
from flowline.sites.api.views import SectorViewSet, SiteViewSet
from flowline.sites.models import Sector, Site
from flowline.sites.tests.factories import SectorFactory, SiteFactory

pytestmark = pytest.mark.django_db

SITES = "/api/v1/auth/sites/"


@pytest.fixture
def sites(owner):
    active = SiteFactory(account=owner.account, status=Site.Status.ACTIVE)
    inactive = SiteFactory(account=owner.account, status=Site.Status.INACTIVE)
    return active, inactive


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_filter_parameter_still_filters(owner, sites):
    active, inactive = sites

    assert _ids(owner.client.get(SITES, {"status": "inactive"})) == {inactive.id}
    assert _ids(owner.client.get(SITES, {"status": "active"})) == {active.id}


def test_an_invalid_filter_value_is_still_a_400(owner, sites):
    response = owner.client.get(SITES, {"status": "bogus"})

    assert response.status_code == 400
    assert response.json()["success"] is False


def test_parameters_that_are_no_filter_leave_the_list_whole(owner, sites):
    assert _ids(owner.client.get(SITES, {"page_size": 5, "unknown": "x"})) == {s.id for s in sites}


def test_the_auto_filterset_class_is_built_once_per_view(owner, sites):
    backend, view = FilterBackend(), SiteViewSet()
    queryset = Site.unscoped.all()

    first = backend.get_filterset_class(view, queryset)
    second = backend.get_filterset_class(SiteViewSet(), queryset)

    assert first is second
    assert set(first.base_filters) == {"status", "industry"}


def test_foreign_key_filters_match_each_accounts_own_rows(owner, other_owner):
    # Foreign keys filter on their column (no choices read from a tenant's rows), so one
    # class serves every account and another account's id simply matches nothing.
    sites = {}
    for member in (owner, other_owner):
        site = sites[member.account_id] = SiteFactory(account=member.account)
        sector = SectorFactory(account=member.account, site=site)

        response = member.client.get("/api/v1/auth/sectors/", {"site": site.id})

        assert _ids(response) == {sector.id}
    foreign = sites[other_owner.account_id].id
    response = owner.client.get("/api/v1/auth/sectors/", {"site": foreign})
    assert response.status_code == 200
    assert _ids(response) == set()
    backend = FilterBackend()
    assert backend.get_filterset_class(SectorViewSet(), Sector.unscoped.all()) is (
        backend.get_filterset_class(SectorViewSet(), Sector.unscoped.all())
    )
