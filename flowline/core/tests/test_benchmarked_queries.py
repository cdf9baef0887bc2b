"""The endpoints `make bench` measures run a fixed number of queries, whatever the rows.

benchmarks/run_api.py compares them with a raw ASGI app running the same SQL: these
pins keep the comparison honest (no N+1, no query added to the request path unseen).
"""

import pytest

from flowline.core.roles import Role
from flowline.sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.mark.parametrize("rows", [1, 30])
def test_me_is_three_queries(owner, other_owner, rows, django_assert_num_queries):
    # given sites, and a second account the user belongs to
    SiteFactory.create_batch(rows, account=owner.account)
    from flowline.identity.models import Membership

    Membership.unscoped.create(account=other_owner.account, user=owner.user, role=Role.VIEWER)

    # when / then: the membership (auth), the memberships with their accounts, the sites
    with django_assert_num_queries(3):
        response = owner.client.get(f"{API}/auth/me/")
    assert len(response.json()["data"]["accessible_sites"]) == rows
    assert len(response.json()["data"]["accounts"]) == 2


@pytest.mark.parametrize("rows", [1, 30])
def test_site_page_is_three_queries(owner, rows, django_assert_num_queries):
    # given
    SiteFactory.create_batch(rows, account=owner.account)

    # when / then: the membership (auth), the count, the page
    with django_assert_num_queries(3):
        response = owner.client.get(f"{API}/auth/sites/", {"page_size": 25})
    assert len(response.json()["results"]) == min(rows, 25)


def test_site_detail_is_two_queries(owner, django_assert_num_queries):
    # given
    site = SiteFactory(account=owner.account)

    # when / then: the membership (auth), the row
    with django_assert_num_queries(2):
        response = owner.client.get(f"{API}/auth/sites/{site.id}/")
    assert response.json()["data"]["id"] == site.id


def test_a_member_restricted_to_some_sites_costs_one_query_more(
    owner, member_factory, django_assert_num_queries
):
    # given a member who may only reach one site
    mine, _ = SiteFactory(account=owner.account), SiteFactory(account=owner.account)
    member = member_factory(owner, Role.VIEWER, all_sites=False)
    from flowline.sites.models import SiteUserAccess

    SiteUserAccess.unscoped.create(
        account=owner.account, user=member.user, site=mine, granted_by=owner.user
    )

    # when / then: the membership, the granted site ids, the count, the page
    with django_assert_num_queries(4):
        response = member.client.get(f"{API}/auth/sites/")
    assert [row["id"] for row in response.json()["results"]] == [mine.id]
