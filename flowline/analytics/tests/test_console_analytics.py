"""The analytics dashboard in the console: a range beside the period before it, the
platforms, the funnel and revenue, drawn from the API's numbers; the empty state says
how to send events; over HTTP and in Chromium."""

import pytest
from playwright.sync_api import expect

from flowline.core.testing.pages import page_client


def _shopping(session: str, platform: str, when: str, *, bought: str | None = None) -> list:
    """One visitor's session: a product view, a cart, and perhaps a checkout and purchase."""
    events = [
        {"event_type": "product_view", "platform": platform, "session_id": session},
        {"event_type": "add_to_cart", "platform": platform, "session_id": session},
    ]
    if bought:
        events += [
            {"event_type": "checkout_started", "platform": platform, "session_id": session},
            {
                "event_type": "purchase",
                "platform": platform,
                "session_id": session,
                "value": bought,
                "currency": "USD",
            },
        ]
    return [{**event, "occurred_at": when} for event in events]


@pytest.mark.django_db
def test_without_events_the_dashboard_explains_how_to_send_them(owner):
    page = page_client(owner).get("/analytics/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "No events in this range" in text and "POST /api/v1/analytics/events/" in text


@pytest.mark.django_db
def test_the_range_is_compared_with_the_period_before(owner, track, at):
    track(owner, _shopping("s1", "instagram", at(1), bought="30.00"))
    track(owner, _shopping("s0", "instagram", at(9)))
    page = page_client(owner).get("/analytics/?days=7")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="chart-daily"' in text and 'id="chart-funnel"' in text
    # 4 events this week, 2 the week before
    assert "Up 100%" in text and "from 2 the period before" in text


@pytest.mark.django_db
def test_a_range_the_api_refuses_shows_its_reason(owner):
    page = page_client(owner).get("/analytics/?date_from=2026-02-01&date_to=2026-01-01")
    assert page.status_code == 200
    assert b"Must not be after date_to." in page.content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_owner_reads_the_dashboard_over_sent_events_and_switches_the_range(
    console, owner, track, at
):
    # given: events sent through the API over the last weeks, on three platforms
    for days_ago in (0, 1, 2, 4, 6):
        track(owner, _shopping(f"ig-{days_ago}", "instagram", at(days_ago), bought="24.00"))
        track(owner, _shopping(f"fb-{days_ago}", "facebook", at(days_ago, 15)))
    for days_ago in (3, 12, 20):
        track(owner, _shopping(f"web-{days_ago}", "web", at(days_ago, 9), bought="60.00"))
    for days_ago in (9, 10, 35, 40):
        track(owner, _shopping(f"old-{days_ago}", "instagram", at(days_ago)))
    console.sign_in(owner)
    page = console.page

    # when: they open the dashboard (the last 30 days)
    console.go("/analytics/")

    # then: the figures, the comparison, the charts and their tables
    kpis = page.locator("#kpis")
    expect(kpis).to_contain_text("Events")
    expect(kpis.locator(".display-6").first).to_have_text("46")
    expect(kpis).to_contain_text("from 4 the period before")
    for chart in ("daily", "funnel", "platforms", "revenue"):
        expect(page.locator(f"canvas[data-chart=chart-{chart}]")).to_be_visible()
    expect(page.locator("#platforms table")).to_contain_text("Instagram")
    expect(page.locator("#funnel table tbody tr")).to_have_count(4)
    expect(page.locator("#revenue")).to_contain_text("300.00 from 8 orders")
    console.shot("analytics")

    # when: they switch to the last 7 days, then revenue by week
    page.get_by_role("link", name="Last 7 days").click()
    expect(page.get_by_role("link", name="Last 7 days")).to_have_attribute("aria-current", "true")
    expect(kpis.locator(".display-6").first).to_have_text("34")
    expect(page.locator("#revenue")).to_contain_text("180.00 from 6 orders")
    page.get_by_role("link", name="By week").click()
    expect(page.get_by_role("link", name="By week")).to_have_attribute("aria-current", "true")
    assert "days=7" in page.url and "interval=week" in page.url
    page.locator("#revenue summary").click()
    expect(page.locator("#revenue table")).to_contain_text("Week of")
    page.evaluate("window.scrollTo(0, 0)")
    console.shot("analytics-week")
