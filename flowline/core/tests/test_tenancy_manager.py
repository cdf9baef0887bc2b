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


def _tenant_models():
    from django.apps import apps

    from flowline.core.tenancy import TenantManager

    return sorted(
        (m for m in apps.get_models() if isinstance(m._default_manager, TenantManager)),
        key=lambda m: m._meta.label,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("site_ids", [None, frozenset(), frozenset({3, 5})], ids=str)
def test_the_reused_scoped_query_is_the_one_filter_builds_for_every_tenant_model(site_ids):
    # given: every tenant model, queried as two accounts in turn (the first use builds
    # the model's template, the second reuses it with the other account)
    for model in _tenant_models():
        site_lookup = getattr(model, "tenant_site_lookup", None)
        for account_id in (41, 42):
            # when: the manager scopes a query
            with tenant_scope(account_id, site_ids=site_ids):
                reused = model.objects.all()
            # then: it is the query .filter() builds for that account and those sites
            expected = model.unscoped.filter(account_id=account_id)
            if site_lookup and site_ids is not None:
                expected = expected.filter(**{f"{site_lookup}__in": site_ids})
            if site_lookup and site_ids == frozenset():
                # an empty IN matches nothing: Django does not compile it at all
                assert not list(reused), model
                continue
            assert str(reused.query) == str(expected.query), model
            compiled = reused.query.sql_with_params()
            assert compiled == expected.query.sql_with_params(), model
