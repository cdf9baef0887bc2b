"""Dashboard, platforms, funnel and revenue: the numbers match the events, before and
after the rollup, and another account's events never count."""

from datetime import date, timedelta

import pytest

from flowline.analytics.public import platform_metric_record
from flowline.analytics.services.rollup import daily_metrics_rollup

API = "/api/v1/analytics"


def _day(rows: list[dict], day: str) -> dict:
    return next(row for row in rows if row["date"] == day)


def _shop_week(at) -> list[dict]:
    """Two days ago: 3 sessions view, 2 add to cart, 1 buys for 30.00 on Instagram.
    Today: 1 session views and buys for 12.50 on the web."""
    return [
        {"event_type": "page_view", "session_id": "a", "occurred_at": at(2, 9)},
        {"event_type": "product_view", "session_id": "b", "occurred_at": at(2, 9)},
        {"event_type": "page_view", "session_id": "c", "occurred_at": at(2, 10)},
        {"event_type": "add_to_cart", "session_id": "a", "occurred_at": at(2, 11)},
        {"event_type": "add_to_cart", "session_id": "b", "occurred_at": at(2, 11)},
        {"event_type": "checkout_started", "session_id": "a", "occurred_at": at(2, 12)},
        {
            "event_type": "purchase",
            "session_id": "a",
            "value": "30.00",
            "platform": "instagram",
            "occurred_at": at(2, 13),
        },
        {"event_type": "page_view", "session_id": "d", "occurred_at": at(0, 1)},
        {"event_type": "purchase", "session_id": "d", "value": 12.5, "occurred_at": at(0, 2)},
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("rolled_up", [False, True], ids=["live", "rolled-up"])
def test_dashboard_numbers_match_the_events(owner, other_owner, track, at, rolled_up):
    # given: the owner's shop, and a busier other account that must not count
    track(owner, _shop_week(at))
    track(other_owner, _shop_week(at) * 3)
    if rolled_up:
        daily_metrics_rollup(account_id=owner.account_id)

    # when
    data = owner.client.get(f"{API}/dashboard/", {"date_from": at(6)[:10]}).json()["data"]

    # then
    assert len(data["days"]) == 7
    two_days_ago, today = _day(data["days"], at(2)[:10]), _day(data["days"], at(0)[:10])
    assert two_days_ago["counts"]["page_view"] == 2
    assert two_days_ago["counts"]["add_to_cart"] == 2
    assert (two_days_ago["events"], two_days_ago["sessions"]) == (7, 3)
    assert two_days_ago["revenue"] == "30.00"
    assert (today["events"], today["sessions"], today["revenue"]) == (2, 1, "12.50")
    assert _day(data["days"], at(1)[:10])["events"] == 0
    assert data["totals"]["events"] == 9
    assert data["totals"]["revenue"] == "42.50"
    assert data["totals"]["counts"]["purchase"] == 2
    assert data["live_from"] == (at(0) if rolled_up else at(2))[:10]


@pytest.mark.django_db
def test_dashboard_counts_today_and_late_events_before_the_next_rollup(owner, track, at):
    # given: a rollup, then more events today and a late one for two days ago
    track(owner, _shop_week(at))
    daily_metrics_rollup(account_id=owner.account_id)
    track(
        owner,
        [
            {"event_type": "page_view", "session_id": "e", "occurred_at": at(0, 5)},
            {"event_type": "page_view", "session_id": "z", "occurred_at": at(2, 20)},
        ],
    )

    # when
    before = owner.client.get(f"{API}/dashboard/").json()["data"]
    daily_metrics_rollup(account_id=owner.account_id)
    after = owner.client.get(f"{API}/dashboard/").json()["data"]

    # then: the same numbers whether read live or from the new rollups
    for data in (before, after):
        assert _day(data["days"], at(0)[:10])["events"] == 3
        assert _day(data["days"], at(2)[:10])["sessions"] == 4
        assert data["totals"]["events"] == 11
    assert before["live_from"] == at(2)[:10]
    assert after["live_from"] == at(0)[:10]


@pytest.mark.django_db
def test_dashboard_filters_by_platform(owner, track, at):
    # given
    track(owner, _shop_week(at))
    daily_metrics_rollup(account_id=owner.account_id)

    # when
    data = owner.client.get(f"{API}/dashboard/", {"platform": "instagram"}).json()["data"]

    # then
    assert data["totals"]["events"] == 1
    assert data["totals"]["revenue"] == "30.00"
    assert data["totals"]["sessions"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"date_from": "2025-02-01", "date_to": "2025-01-01"}, {"date_from": "2020-01-01"}],
)
def test_dashboard_refuses_backward_or_huge_ranges(owner, params):
    # when
    response = owner.client.get(f"{API}/dashboard/", params)

    # then
    assert response.status_code == 400
    assert "date_from" in response.json()["errors"]


@pytest.mark.django_db
def test_platform_metrics(owner, other_owner, track, at, today):
    # given: events on three platforms and what Instagram reported on two days
    track(
        owner,
        [
            {"event_type": "post_published", "platform": "instagram", "occurred_at": at(1)},
            {"event_type": "post_engagement", "platform": "instagram", "session_id": "i1"},
            {"event_type": "post_engagement", "platform": "instagram", "session_id": "i2"},
            {"event_type": "purchase", "platform": "instagram", "value": 40, "session_id": "i2"},
            {"event_type": "message_received", "platform": "whatsapp", "session_id": "w"},
            {"event_type": "page_view", "platform": "web", "session_id": "x"},
        ],
    )
    track(other_owner, [{"event_type": "purchase", "platform": "instagram", "value": 999}])
    for days_ago, followers, reach in ((3, 100, 50), (1, 120, 70)):
        platform_metric_record(
            account_id=owner.account_id,
            platform="instagram",
            day=today - timedelta(days=days_ago),
            followers=followers,
            reach=reach,
        )
    daily_metrics_rollup(account_id=owner.account_id)

    # when
    rows = owner.client.get(f"{API}/platforms/").json()["data"]

    # then: the four social platforms always, others when they have data
    by_platform = {row["platform"]: row for row in rows}
    assert list(by_platform) == ["facebook", "instagram", "twitter", "whatsapp", "web"]
    instagram = by_platform["instagram"]
    assert (instagram["events"], instagram["engagement"], instagram["posts_published"]) == (
        4,
        2,
        1,
    )
    assert (instagram["orders"], instagram["revenue"], instagram["sessions"]) == (1, "40.00", 2)
    assert instagram["reported"] == {
        "followers": 120,
        "reach": 120,
        "impressions": 0,
        "engagement": 0,
    }
    assert by_platform["whatsapp"]["messages_received"] == 1
    assert by_platform["whatsapp"]["engagement"] == 1
    assert by_platform["facebook"]["events"] == 0


@pytest.mark.django_db
def test_conversion_funnel_by_distinct_session(owner, other_owner, track, at):
    # given: 3 sessions view, 2 add to cart, 1 checks out and buys (and a session
    # that buys without viewing: it never entered the funnel)
    track(owner, [*_shop_week(at)[:7], {"event_type": "purchase", "session_id": "q"}])
    track(other_owner, _shop_week(at) * 2)

    # when
    data = owner.client.get(f"{API}/conversions/").json()["data"]

    # then
    assert [(s["step"], s["sessions"]) for s in data["steps"]] == [
        ("page_view|product_view", 3),
        ("add_to_cart", 2),
        ("checkout_started", 1),
        ("purchase", 1),
    ]
    assert [s["rate_from_previous"] for s in data["steps"]] == [1.0, 0.6667, 0.5, 1.0]
    assert data["steps"][2]["rate_from_first"] == 0.3333
    assert data["overall_rate"] == 0.3333


@pytest.mark.django_db
@pytest.mark.parametrize("rolled_up", [False, True], ids=["live", "rolled-up"])
def test_funnel_reads_the_same_from_rollups_as_from_events(owner, track, at, rolled_up):
    # given: the shop's sessions, one of which buys on Instagram after browsing the web
    track(
        owner,
        [
            *_shop_week(at),
            {
                "event_type": "page_view",
                "session_id": "i",
                "platform": "instagram",
                "occurred_at": at(3),
            },
        ],
    )
    if rolled_up:
        daily_metrics_rollup(account_id=owner.account_id)

    # when
    every = owner.client.get(f"{API}/conversions/", {"date_from": at(6)[:10]}).json()["data"]
    insta = owner.client.get(
        f"{API}/conversions/", {"date_from": at(6)[:10], "platform": "instagram"}
    ).json()["data"]
    custom = owner.client.get(
        f"{API}/conversions/", {"date_from": at(6)[:10], "steps": "page_view,signup"}
    ).json()["data"]

    # then: session "a" counts once over its two platforms, and alone on each
    assert [s["sessions"] for s in every["steps"]] == [5, 2, 1, 1]
    assert [s["sessions"] for s in insta["steps"]] == [1, 0, 0, 0]
    assert [s["sessions"] for s in custom["steps"]] == [4, 0]


@pytest.mark.django_db
def test_a_session_over_midnight_counts_on_each_of_its_days(owner, track, at):
    # given: viewed late yesterday, bought after midnight
    track(
        owner,
        [
            {"event_type": "page_view", "session_id": "n", "occurred_at": at(1, 23)},
            {"event_type": "purchase", "session_id": "n", "occurred_at": at(0, 0)},
        ],
    )

    # when
    data = owner.client.get(f"{API}/conversions/", {"steps": "page_view,purchase"}).json()

    # then: the funnel counts session-days, as the dashboard's sessions do
    assert [s["sessions"] for s in data["data"]["steps"]] == [1, 0]


@pytest.mark.django_db
def test_funnel_steps_come_from_the_query(owner, track, at):
    # given
    track(owner, _shop_week(at))

    # when
    data = owner.client.get(f"{API}/conversions/", {"steps": "add_to_cart,purchase"}).json()
    bad = owner.client.get(f"{API}/conversions/", {"steps": "add_to_cart"})

    # then
    assert [s["sessions"] for s in data["data"]["steps"]] == [2, 1]
    assert data["data"]["overall_rate"] == 0.5
    assert bad.status_code == 400
    assert "steps" in bad.json()["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize("rolled_up", [False, True], ids=["live", "rolled-up"])
def test_revenue_buckets_by_day_week_and_month(owner, track, rolled_up):
    # given: purchases on a Monday, the Sunday before it, and in the next month
    days = [date(2025, 3, 30), date(2025, 3, 31), date(2025, 3, 31), date(2025, 4, 2)]
    track(
        owner,
        [
            {"event_type": "purchase", "value": "10.00", "occurred_at": f"{day}T10:00:00Z"}
            for day in days
        ]
        + [{"event_type": "page_view", "occurred_at": "2025-03-31T10:00:00Z"}],
    )
    if rolled_up:
        daily_metrics_rollup(account_id=owner.account_id)
    span = {"date_from": "2025-03-01", "date_to": "2025-04-30"}

    # when
    def buckets(interval):
        response = owner.client.get(f"{API}/revenue/", {**span, "interval": interval})
        return [
            (b["period"], b["orders"], b["revenue"]) for b in response.json()["data"]["buckets"]
        ]

    # then
    assert buckets("day") == [
        ("2025-03-30", 1, "10.00"),
        ("2025-03-31", 2, "20.00"),
        ("2025-04-02", 1, "10.00"),
    ]
    assert buckets("week") == [("2025-03-24", 1, "10.00"), ("2025-03-31", 3, "30.00")]
    assert buckets("month") == [("2025-03-01", 3, "30.00"), ("2025-04-01", 1, "10.00")]
