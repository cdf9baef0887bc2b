"""The analytics dashboard in the console, over the API's `analytics/dashboard/`,
`analytics/platforms/`, `analytics/conversions/` and `analytics/revenue/`: a chosen
range beside the period before it, per-platform figures, the funnel and revenue. The
browser draws the charts from these numbers; tables beside them say the same."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from flowline.analytics.api.views import (
    ConversionsView,
    DashboardView,
    PlatformsView,
    RevenueView,
)
from flowline.analytics.models import Platform
from flowline.core.pages.api import Endpoint
from flowline.core.pages.views import Page

dashboard = Endpoint(DashboardView)
platforms = Endpoint(PlatformsView)
conversions = Endpoint(ConversionsView)
revenue = Endpoint(RevenueView)

RANGES = (7, 30, 90)
INTERVALS = (("day", "By day"), ("week", "By week"))


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def chosen_range(params) -> tuple[date, date, int | None]:
    """(first day, last day, preset length or None): `?date_from&date_to`, else
    `?days=7|30|90` ending today (UTC days, as the API counts them), 30 by default."""
    date_from, date_to = _day(params.get("date_from")), _day(params.get("date_to"))
    if date_from and date_to:
        return date_from, date_to, None
    days = int(params["days"]) if params.get("days") in {str(d) for d in RANGES} else 30
    today = timezone.now().date()
    return today - timedelta(days=days - 1), today, days


def _change(now, before) -> dict:
    """The change from the previous period, in words as well as a sign."""
    now, before = Decimal(str(now or 0)), Decimal(str(before or 0))
    if before == 0:
        return {"direction": "up" if now else "flat", "percent": None}
    percent = round((now - before) / before * 100)
    return {
        "direction": "up" if percent > 0 else "down" if percent < 0 else "flat",
        "percent": abs(percent),
    }


class AnalyticsPage(Page):
    title = "Analytics"
    template_name = "analytics/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        date_from, date_to, days = chosen_range(params)
        length = (date_to - date_from).days + 1
        previous_to = date_from - timedelta(days=1)
        previous_from = previous_to - timedelta(days=length - 1)
        platform = params.get("platform") or ""
        interval = params.get("interval") if params.get("interval") in dict(INTERVALS) else "day"
        query = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
        if platform:
            query["platform"] = platform
        previous_query = {
            **query,
            "date_from": previous_from.isoformat(),
            "date_to": previous_to.isoformat(),
        }
        current = dashboard.call(self.request, query=query)
        if not current.ok:
            context.update(refused=current.message, errors=current.errors, **self._choices(params))
            return context
        report = current.data
        before = dashboard.call(self.request, query=previous_query).data or {}
        # Platforms with nothing in the range are left out of the chart and the table.
        by_platform = [
            row
            for row in platforms.call(self.request, query=query).data or []
            if row["events"] or row["posts_published"] or row["messages_received"]
        ]
        funnel = conversions.call(self.request, query=query).data or {}
        money = revenue.call(self.request, query={**query, "interval": interval}).data or {}
        totals, previous_totals = report["totals"], before.get("totals") or {}
        context.update(
            **self._choices(params),
            days=days,
            date_from=date_from,
            date_to=date_to,
            previous_from=previous_from,
            previous_to=previous_to,
            platform=platform,
            interval=interval,
            report=report,
            previous=before,
            kpis=[
                {
                    "label": label,
                    "value": totals.get(key, 0),
                    "before": previous_totals.get(key, 0),
                    "change": _change(totals.get(key), previous_totals.get(key)),
                }
                for key, label in (
                    ("events", "Events"),
                    ("sessions", "Sessions"),
                    ("revenue", "Revenue"),
                )
            ],
            has_events=bool(totals.get("events")) or bool(previous_totals.get("events")),
            platform_rows=by_platform,
            funnel=funnel,
            funnel_steps=[
                {**step, "label": step_label(step["step"])} for step in funnel.get("steps", [])
            ],
            money=money,
            charts=self._charts(report, before, by_platform, funnel, money),
        )
        return context

    def _choices(self, params) -> dict:
        return {
            "ranges": RANGES,
            "intervals": INTERVALS,
            "platform_choices": Platform.choices,
            "custom_from": params.get("date_from", ""),
            "custom_to": params.get("date_to", ""),
        }

    @staticmethod
    def _charts(report, before, by_platform, funnel, money) -> dict:
        days = report["days"]
        previous_days = before.get("days") or []
        return {
            "daily": {
                "type": "line",
                "labels": [_label(d["date"]) for d in days],
                "datasets": [
                    {"label": "This period", "values": [d["events"] for d in days]},
                    {
                        "label": "Previous period",
                        "values": [d["events"] for d in previous_days],
                        "dashed": True,
                    },
                ],
            },
            "platforms": {
                "type": "bar",
                "labels": [
                    Platform(row["platform"]).label
                    if row["platform"] in Platform.values
                    else row["platform"]
                    for row in by_platform
                ],
                "values": [row["events"] for row in by_platform],
                "label": "Events",
                "horizontal": True,
            },
            "funnel": {
                "type": "bar",
                # A step of several events on two lines, so a narrow chart keeps it whole.
                "labels": [
                    step_label(step["step"]).replace(" or ", " or\n").split("\n")
                    for step in funnel.get("steps", [])
                ],
                "values": [step["sessions"] for step in funnel.get("steps", [])],
                "label": "Sessions",
                "horizontal": True,
            },
            "revenue": {
                "type": "bar",
                "labels": [_label(row["period"]) for row in money.get("buckets", [])],
                "values": [float(row["revenue"]) for row in money.get("buckets", [])],
                "label": "Revenue",
            },
        }


def step_label(step: str) -> str:
    """A funnel step in words: "page_view|product_view" -> "Page view or product view"."""
    words = " or ".join(part.replace("_", " ") for part in step.split("|"))
    return words[:1].upper() + words[1:]


def _label(iso_day: str) -> str:
    return date.fromisoformat(str(iso_day)[:10]).strftime("%b %-d")
