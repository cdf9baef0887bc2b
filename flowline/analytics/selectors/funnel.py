"""The conversion funnel: how many sessions reached each step, and the rates between.

A session reaches step k when it has an event of each step 1..k in the range (in any
order). Counted by the database in one query: a flag per step per session, then sums of
the flags' products over sessions.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case, F, IntegerField, Max, Sum, Value, When

from flowline.analytics.models import (
    ADD_TO_CART,
    CHECKOUT_STARTED,
    PAGE_VIEW,
    PRODUCT_VIEW,
    PURCHASE,
    AnalyticsEvent,
)
from flowline.analytics.selectors.metrics import MetricQuery
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
    events = AnalyticsEvent.objects.filter(
        occurred_at__gte=day_start(query.date_from),
        occurred_at__lt=day_start(query.date_to + timedelta(days=1)),
        event_type__in={event_type for step in steps for event_type in step},
    ).exclude(session_id="")
    if query.site_id is not None:
        events = events.filter(site_id=query.site_id)
    if query.platform is not None:
        events = events.filter(platform=query.platform)
    flags = {
        f"step{index}": Max(
            Case(
                When(event_type__in=step, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        for index, step in enumerate(steps)
    }
    reached = {}
    product = None
    for index in range(len(steps)):
        product = F(f"step{index}") if product is None else product * F(f"step{index}")
        reached[f"reached{index}"] = Sum(product)
    sums = events.values("session_id").annotate(**flags).order_by().aggregate(**reached)
    counts = [sums[f"reached{index}"] or 0 for index in range(len(steps))]
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


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
