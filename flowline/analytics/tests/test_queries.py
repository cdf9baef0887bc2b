"""Pinned query counts: the reports are a fixed number of aggregate queries, whatever the
number of events, sites or days; and another account is never counted or listed."""

import pytest

from flowline.analytics.services.rollup import daily_metrics_rollup
from flowline.sites.tests.factories import SiteFactory

API = "/api/v1/analytics"

# Per request: the signed-in membership (1); then the report's own queries.
PINNED = {
    # rollup state, rollups by type, live by type, rollup sessions, live sessions
    "dashboard/": 6,
    # the same five, and what platforms reported
    "platforms/": 7,
    # rollup state, sessions per set of steps from rollups, the same live
    "conversions/": 4,
    # rollup state, rollups, live
    "revenue/": 4,
    # count and page
    "events/": 3,
}


def _traffic(owner, track, at, *, sessions: int) -> None:
    sites = SiteFactory.create_batch(2, account=owner.account)
    events = []
    for n in range(sessions):
        site = sites[n % 2].id
        platform = ("web", "instagram", "facebook")[n % 3]
        for days_ago in (0, 3, 9):
            occurred_at = at(days_ago, n % 24)
            base = {"session_id": f"s{n}", "site": site, "platform": platform}
            events += [
                {**base, "event_type": "page_view", "occurred_at": occurred_at},
                {**base, "event_type": "add_to_cart", "occurred_at": occurred_at},
                {**base, "event_type": "purchase", "value": n, "occurred_at": occurred_at},
            ]
    for start in range(0, len(events), 1000):
        track(owner, events[start : start + 1000])
    daily_metrics_rollup(account_id=owner.account_id)
    track(owner, [{"event_type": "page_view", "session_id": "late", "occurred_at": at(5)}])


@pytest.mark.django_db
@pytest.mark.parametrize("sessions", [2, 200])
@pytest.mark.parametrize("path", list(PINNED))
def test_reports_run_a_fixed_number_of_queries(
    owner, track, at, django_assert_num_queries, path, sessions
):
    # given: events over several days, sites and platforms; some rolled up, some live
    _traffic(owner, track, at, sessions=sessions)

    # when / then
    with django_assert_num_queries(PINNED[path]):
        response = owner.client.get(f"{API}/{path}", {"date_from": at(20)[:10]})
    assert response.status_code == 200, response.content


@pytest.mark.django_db
@pytest.mark.parametrize("path", [p for p in PINNED if p != "events/"])
def test_another_accounts_events_are_never_counted(owner, other_owner, track, at, path):
    # given: only the other account has traffic
    _traffic(other_owner, track, at, sessions=5)

    # when
    data = owner.client.get(f"{API}/{path}", {"date_from": at(20)[:10]}).json()["data"]

    # then: every figure the owner sees is zero
    assert _numbers(data) and not any(_numbers(data))
    assert other_owner.client.get(f"{API}/{path}").json()["data"] != data


@pytest.mark.django_db
def test_another_accounts_events_are_not_listed(owner, other_owner, track, at):
    # given
    _traffic(other_owner, track, at, sessions=2)

    # when
    listed = owner.client.get(f"{API}/events/").json()

    # then
    assert listed["count"] == 0


def _numbers(value) -> list:
    """Every count, rate and amount in a report (dates and names left out)."""
    if isinstance(value, dict):
        return [n for key, item in value.items() if key != "step" for n in _numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in _numbers(item)]
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [value]
    if isinstance(value, str) and value.replace(".", "", 1).isdigit():
        return [float(value)]
    return []
