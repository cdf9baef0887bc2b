"""The conversion funnel: how many sessions reached each step, and the rates between.

A session reaches step k when it has an event of each step 1..k (in any order) on one
day (UTC) and site; over a range, sessions add up as session-days, as the dashboard's
do. Counted from the sessions per set of event types done (`steps.step_counts`): for
past days from the rollup's `DailySessionSteps` when every step is a key event type,
for the rest from the events. Either way a funnel is a few dozen rows, whatever the
number of events.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.db.models import Sum

from flowline.analytics.models import (
    ADD_TO_CART,
    ALL,
    CHECKOUT_STARTED,
    KEY_EVENT_TYPES,
    PAGE_VIEW,
    PRODUCT_VIEW,
    PURCHASE,
    AnalyticsEvent,
    DailySessionSteps,
)
from flowline.analytics.selectors.metrics import MetricQuery, live_from
from flowline.analytics.selectors.steps import step_counts
from flowline.analytics.services.rollup import day_start

DEFAULT_STEPS: tuple[tuple[str, ...], ...] = (
    (PAGE_VIEW, PRODUCT_VIEW),
    (ADD_TO_CART,),
    (CHECKOUT_STARTED,),
    (PURCHASE,),
)
MAX_STEPS = 8


def conversion_funnel(query: MetricQuery, *, steps=DEFAULT_STEPS) -> dict:
    """Sessions per step with step-to-step and overall rates (fractions, 4 decimals)."""
    wanted = {event_type for step in steps for event_type in step}
    rolled_up = wanted <= set(KEY_EVENT_TYPES)
    types = KEY_EVENT_TYPES if rolled_up else tuple(sorted(wanted))
    start = live_from(query) if rolled_up else query.date_from
    sessions = Counter()  # sessions per set of types done
    if start > query.date_from:
        sessions.update(_rolled_up(query, end=start - timedelta(days=1)))
    if start <= query.date_to:
        sessions.update(_live(query, start=start, types=types))
    step_bits = [
        sum(1 << types.index(event_type) for event_type in step if event_type in types)
        for step in steps
    ]
    counts = [
        sum(n for done, n in sessions.items() if all(done & bits for bits in step_bits[: k + 1]))
        for k in range(len(steps))
    ]
    first = counts[0]
    rows = []
    for index, step in enumerate(steps):
        previous = counts[index - 1] if index else first
        rows.append(
            {
                "step": "|".join(step),
                "event_types": list(step),
                "sessions": counts[index],
                "rate_from_previous": _rate(counts[index], previous),
                "rate_from_first": _rate(counts[index], first),
            }
        )
    return {
        "date_from": query.date_from,
        "date_to": query.date_to,
        "steps": rows,
        "overall_rate": _rate(counts[-1], first),
    }


def _rolled_up(query: MetricQuery, *, end) -> Counter:
    rows = DailySessionSteps.objects.filter(date__gte=query.date_from, date__lte=end)
    if query.site_id is not None:
        rows = rows.filter(site_id=query.site_id)
    rows = rows.filter(platform=query.platform or ALL)
    totals = rows.values("steps").annotate(n=Sum("sessions")).order_by()
    return Counter({row["steps"]: row["n"] for row in totals})


def _live(query: MetricQuery, *, start, types) -> Counter:
    events = AnalyticsEvent.objects.filter(
        occurred_at__gte=day_start(start),
        occurred_at__lt=day_start(query.date_to + timedelta(days=1)),
    )
    if query.site_id is not None:
        events = events.filter(site_id=query.site_id)
    if query.platform is not None:
        events = events.filter(platform=query.platform)
    sessions = Counter()
    for count in step_counts(events, types, per_platform=False):
        sessions[count.steps] += count.sessions
    return sessions


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
