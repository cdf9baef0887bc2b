"""The publishing calendar: a month or a week of scheduled and published posts (the API's
`social/schedules/calendar/`), the accounts' next free posting slot, and moving a post to
another time (drag it to another day, or its Move form: `PATCH social/schedules/<id>/`).
Times are UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from flowline.core.pages.views import Page, safe_next
from flowline.core.roles import Role
from flowline.posts.pages import endpoints as api
from flowline.posts.pages.composer import scheduled_at

VIEWS = ("month", "week")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MOVABLE = "scheduled"  # a post whose targets all wait: moving it cannot race a worker


def _day(raw: str | None) -> date:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        return timezone.now().astimezone(UTC).date()


def calendar_range(view: str, day: date) -> tuple[date, date]:
    """The days a view shows: whole weeks (Monday first) around the month, or one week."""
    if view == "week":
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=7)
    start_of_month = day.replace(day=1)
    first = start_of_month - timedelta(days=start_of_month.weekday())
    next_month = (start_of_month + timedelta(days=32)).replace(day=1)
    last = next_month + timedelta(days=(7 - next_month.weekday()) % 7)
    return first, last


def _shifted(view: str, day: date, step: int) -> date:
    if view == "week":
        return day + timedelta(days=7 * step)
    month = day.replace(day=1)
    if step > 0:
        return (month + timedelta(days=32)).replace(day=1)
    return (month - timedelta(days=1)).replace(day=1)


class CalendarPage(Page):
    template_name = "posts/calendar.html"
    title = "Calendar"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET
        view = query.get("view") if query.get("view") in VIEWS else "month"
        day = _day(query.get("date"))
        first, last = calendar_range(view, day)
        answer = api.calendar.call(
            self.request,
            query={
                "start": datetime.combine(first, time(), UTC).isoformat(),
                "end": datetime.combine(last, time(), UTC).isoformat(),
                "tz": "UTC",
            },
        )
        may_write = self.can(Role.EDITOR)
        by_day = {d["date"]: d["posts"] for d in (answer.data or {}).get("days", [])}
        today = timezone.now().astimezone(UTC).date()
        days = []
        for offset in range((last - first).days):
            current = first + timedelta(days=offset)
            posts = [
                {
                    **p,
                    "movable": p["status"] == MOVABLE and may_write,
                    "time": p["scheduled_at"][11:16],
                    "targets": [
                        {**t, "label": api.PLATFORM_LABELS.get(t["platform"], t["platform"])}
                        for t in p["targets"]
                    ],
                }
                for p in by_day.get(current.isoformat(), [])
            ]
            days.append(
                {
                    "date": current,
                    "iso": current.isoformat(),
                    "outside": view == "month" and current.month != day.month,
                    "today": current == today,
                    "posts": posts,
                }
            )
        context.update(
            view=view,
            day=day,
            heading=day.strftime("%B %Y")
            if view == "month"
            else f"Week of {first.strftime('%-d %B %Y')}",
            weeks=[days[i : i + 7] for i in range(0, len(days), 7)],
            previous=_shifted(view, day, -1).isoformat(),
            following=_shifted(view, day, 1).isoformat(),
            today=today.isoformat(),
            next_free=self.next_free_slot(),
            slots=self.posting_slots(),
            may_write=may_write,
            accounts=api.connected_accounts(self.request),
            weekdays=list(enumerate(WEEKDAYS)),
            refused=None if answer.ok else answer.message,
        )
        return context

    def posting_slots(self) -> list[dict]:
        answer = api.slots.call(self.request, query={"page_size": 100, "ordering": "weekday"})
        names = {a["id"]: a for a in api.connected_accounts(self.request)}
        rows = answer.body.get("results", []) if answer.ok else []
        return [
            {
                **row,
                "day": WEEKDAYS[row["weekday"]],
                "account": names.get(row["social_account"], {}),
            }
            for row in sorted(rows, key=lambda r: (r["weekday"], r["time"]))
        ]

    def next_free_slot(self) -> dict:
        accounts = api.connected_accounts(self.request)
        if not accounts:
            return {"slot": None, "why": "Connect a social account first."}
        answer = api.next_free_slot.call(
            self.request, query={"social_account": [a["id"] for a in accounts]}
        )
        slot = (answer.data or {}).get("next_free_slot") if answer.ok else None
        if slot:
            return {"slot": datetime.fromisoformat(slot).astimezone(UTC)}
        return {"slot": None, "why": "none in the next 28 days: add posting times below."}

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action in ("add_slot", "delete_slot"):
            return self.change_slots(action)
        post_id = request.POST.get("post", "")
        if action == "next_slot":
            body = {"next_free_slot": True}
        else:
            when = scheduled_at(request.POST.get("scheduled_at", ""))
            body = {"scheduled_at": when} if when else {}
        answer = api.schedule.call(request, "PATCH", body=body, pk=post_id)
        if answer.ok:
            moved = datetime.fromisoformat(answer.data["scheduled_at"]).astimezone(UTC)
            messages.success(request, f"Moved to {moved.strftime('%a %-d %b %H:%M')} UTC.")
        else:
            reason = "; ".join(m for msgs in answer.errors.values() for m in msgs)
            messages.error(request, reason or answer.message)
        return redirect(safe_next(request, reverse("console-calendar")))

    def change_slots(self, action: str):
        """Add a weekly posting time of a social account, or remove one."""
        request = self.request
        if action == "delete_slot":
            answer = api.slot.call(request, "DELETE", pk=request.POST.get("slot", ""))
            done = "Posting time removed."
        else:
            body = {
                name: request.POST.get(name, "") for name in ("social_account", "weekday", "time")
            }
            answer = api.slots.call(request, "POST", body={**body, "timezone": "UTC"})
            done = "Posting time added."
        if answer.ok:
            messages.success(request, done)
        else:
            reason = "; ".join(f"{k}: {' '.join(v)}" for k, v in answer.errors.items())
            messages.error(request, reason or answer.message)
        return redirect(safe_next(request, reverse("console-calendar")))
