"""The scoped manager is fail-closed: no account, no query."""

import pytest
from django.db.models import Count

from flowline.core.tenancy import TenancyError, dangerously_bypass_tenancy, tenant_scope
from flowline.sites.models import Site
from flowline.sites.tests.factories import SiteFactory

RUNNERS = {
    "list": list,
    "count": lambda q: q.count(),
    "exists": lambda q: q.exists(),
    "first": lambda q: q.first(),
    "get": lambda q: q.get(pk=1),
    "update": lambda q: q.update(name="x"),
    "delete": lambda q: q.delete(),
    "values": lambda q: list(q.values("id")),
    "iterator": lambda q: list(q.iterator()),
    "aggregate": lambda q: q.aggregate(n=Count("id")),
    "bool": bool,
}


@pytest.mark.django_db
@pytest.mark.parametrize("run", RUNNERS.values(), ids=RUNNERS.keys())
def test_a_query_without_an_active_account_never_runs(run, owner):
    SiteFactory(account=owner.account)
    queryset = Site.objects.filter(name__startswith="Site")
    with pytest.raises(TenancyError):
        run(queryset)


@pytest.mark.django_db
def test_a_queryset_built_outside_a_scope_stays_unusable_inside_one(owner):
    # given: a queryset described at import time, e.g. a class attribute
    SiteFactory(account=owner.account)
    described_early = Site.objects.all()
    # when / then: it does not silently pick up whichever account is active later
    with tenant_scope(owner.account_id), pytest.raises(TenancyError):
        list(described_early)


@pytest.mark.django_db
def test_scope_shows_only_the_active_accounts_rows(owner, other_owner):
    mine = SiteFactory(account=owner.account)
    SiteFactory(account=other_owner.account)
    with tenant_scope(owner.account_id):
        assert list(Site.objects.values_list("id", flat=True)) == [mine.id]
    with dangerously_bypass_tenancy():
        assert Site.objects.count() == 2
    assert Site.unscoped.count() == 2


@pytest.mark.django_db
def test_site_restricted_members_see_only_granted_sites(owner):
    granted = SiteFactory(account=owner.account)
    SiteFactory(account=owner.account)
    with tenant_scope(owner.account_id, site_ids=frozenset({granted.id})):
        assert list(Site.objects.values_list("id", flat=True)) == [granted.id]
