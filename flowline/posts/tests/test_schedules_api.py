"""Schedules over HTTP: schedule, reschedule, cancel, the calendar by date range, posting
slots and "next free slot"."""

import datetime as dt

import pytest
from django.utils import timezone

from flowline.posts.models import PostTarget
from flowline.posts.services import claims
from flowline.posts.tests.factories import social_account

pytestmark = pytest.mark.django_db
POSTS = "/api/v1/social/posts/"
SCHEDULES = "/api/v1/social/schedules/"
SLOTS = "/api/v1/social/slots/"


def _post(member, *accounts, text="Hello") -> int:
    body = {"text": text, "targets": [a.id for a in accounts]}
    response = member.client.post(POSTS, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["data"]["id"]


def _schedule(member, post_id, when):
    return member.client.post(
        SCHEDULES, {"post": post_id, "scheduled_at": when.isoformat()}, format="json"
    )


def _in(days=0, hours=0):
    return timezone.now() + dt.timedelta(days=days, hours=hours)


def test_schedule_reschedule_and_cancel(owner):
    x = social_account(owner.account, "twitter")
    post_id = _post(owner, x)
    # schedule
    response = _schedule(owner, post_id, _in(days=1))
    assert response.status_code == 201
    data = response.json()["data"]
    assert data["status"] == "scheduled" and data["targets"][0]["status"] == "scheduled"
    # reschedule
    new_time = _in(days=2).replace(microsecond=0)
    response = owner.client.patch(
        f"{SCHEDULES}{post_id}/", {"scheduled_at": new_time.isoformat()}, format="json"
    )
    assert response.status_code == 200
    target = PostTarget.unscoped.get(post_id=post_id)
    assert target.due_at == new_time and target.next_attempt_at == new_time
    # cancel: back to draft, the post stays
    response = owner.client.delete(f"{SCHEDULES}{post_id}/")
    assert response.status_code == 200
    assert response.json()["data"]["status"] == "draft"
    assert response.json()["data"]["scheduled_at"] is None
    assert owner.client.get(f"{POSTS}{post_id}/").status_code == 200
    assert owner.client.get(SCHEDULES).json()["count"] == 0


def test_scheduling_in_the_past_or_twice_is_refused(owner):
    x = social_account(owner.account, "twitter")
    post_id = _post(owner, x)
    assert _schedule(owner, post_id, _in(hours=-1)).status_code == 400
    assert _schedule(owner, post_id, _in(hours=1)).status_code == 201
    response = _schedule(owner, post_id, _in(hours=2))
    assert response.status_code == 409 and response.json()["code"] == "already_scheduled"


def test_a_claimed_target_cannot_be_rescheduled_or_cancelled(owner):
    x = social_account(owner.account, "twitter")
    post_id = _post(owner, x)
    _schedule(owner, post_id, timezone.now())
    assert claims.claim_next(timezone.now()) is not None  # a worker is publishing it
    response = owner.client.patch(
        f"{SCHEDULES}{post_id}/", {"scheduled_at": _in(days=1).isoformat()}, format="json"
    )
    assert response.status_code == 409
    assert owner.client.post(f"{SCHEDULES}{post_id}/cancel/").status_code == 409
    assert PostTarget.unscoped.get(post_id=post_id).status == "publishing"


def test_post_without_targets_cannot_be_scheduled(owner):
    response = owner.client.post(POSTS, {"text": "Nowhere to go"}, format="json")
    post_id = response.json()["data"]["id"]
    response = _schedule(owner, post_id, _in(days=1))
    assert response.status_code == 400 and "targets" in response.json()["errors"]


def test_another_accounts_post_cannot_be_scheduled(owner, other_owner):
    theirs = _post(other_owner, social_account(other_owner.account, "twitter"))
    response = _schedule(owner, theirs, _in(days=1))
    assert response.status_code == 400 and "post" in response.json()["errors"]
    assert owner.client.patch(f"{SCHEDULES}{theirs}/", {}, format="json").status_code == 404


def test_calendar_lists_the_range_by_day(owner):
    x = social_account(owner.account, "twitter")
    base = (timezone.now() + dt.timedelta(days=3)).replace(hour=10, minute=0, second=0)
    inside = [_post(owner, x, text=f"in {n}") for n in range(3)]
    outside = _post(owner, x, text="later")
    _schedule(owner, inside[0], base)
    _schedule(owner, inside[1], base + dt.timedelta(hours=2))
    _schedule(owner, inside[2], base + dt.timedelta(days=1))
    _schedule(owner, outside, base + dt.timedelta(days=10))
    start = base.replace(hour=0)
    response = owner.client.get(
        f"{SCHEDULES}calendar/",
        {"start": start.isoformat(), "end": (start + dt.timedelta(days=2)).isoformat()},
    )
    assert response.status_code == 200
    days = response.json()["data"]["days"]
    assert [d["date"] for d in days] == [
        base.date().isoformat(),
        (base + dt.timedelta(days=1)).date().isoformat(),
    ]
    assert [[p["id"] for p in d["posts"]] for d in days] == [inside[:2], inside[2:]]


def test_calendar_needs_a_sane_range_and_time_zone(owner):
    now = timezone.now()
    bad = [
        {"start": now.isoformat()},
        {"start": now.isoformat(), "end": (now - dt.timedelta(days=1)).isoformat()},
        {"start": now.isoformat(), "end": (now + dt.timedelta(days=200)).isoformat()},
        {
            "start": now.isoformat(),
            "end": (now + dt.timedelta(days=1)).isoformat(),
            "tz": "Mars/Olympus",
        },
    ]
    for query in bad:
        assert owner.client.get(f"{SCHEDULES}calendar/", query).status_code == 400


def test_calendar_never_shows_another_accounts_posts(owner, other_owner):
    theirs = _post(other_owner, social_account(other_owner.account, "twitter"))
    _schedule(other_owner, theirs, _in(days=1))
    now = timezone.now()
    response = owner.client.get(
        f"{SCHEDULES}calendar/",
        {"start": now.isoformat(), "end": (now + dt.timedelta(days=5)).isoformat()},
    )
    assert response.json()["data"]["days"] == []


def test_list_filters_schedules_by_date_range(owner):
    x = social_account(owner.account, "twitter")
    first, second = _post(owner, x, text="a"), _post(owner, x, text="b")
    _schedule(owner, first, _in(days=1))
    _schedule(owner, second, _in(days=5))
    response = owner.client.get(
        SCHEDULES, {"start": _in().isoformat(), "end": _in(days=2).isoformat()}
    )
    assert [p["id"] for p in response.json()["results"]] == [first]


# --- posting slots ----------------------------------------------------------------------


def _next_weekday(weekday: int) -> dt.date:
    today = timezone.now().date()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)


def test_slots_and_next_free_slot(owner):
    li = social_account(owner.account, "linkedin")
    monday = _next_weekday(0)
    for time in ("09:30", "17:00"):
        response = owner.client.post(
            SLOTS,
            {"social_account": li.id, "weekday": 0, "time": time, "timezone": "Europe/Paris"},
            format="json",
        )
        assert response.status_code == 201, response.json()
    # a taken slot is reported, not a 500
    duplicate = {"social_account": li.id, "weekday": 0, "time": "09:30", "timezone": "UTC"}
    assert owner.client.post(SLOTS, duplicate, format="json").status_code == 400
    after = dt.datetime.combine(monday, dt.time(0, 0), tzinfo=dt.UTC)
    response = owner.client.get(
        f"{SLOTS}next_free/", {"social_account": li.id, "after": after.isoformat()}
    )
    paris = dt.datetime.combine(monday, dt.time(9, 30), tzinfo=dt.UTC).astimezone(dt.UTC)
    first_slot = dt.datetime.fromisoformat(response.json()["data"]["next_free_slot"])
    assert first_slot.date() == monday and first_slot.hour in (7, 8)  # 09:30 in Paris
    assert first_slot != paris
    # a post scheduled with next_free_slot takes it; the next one gets 17:00
    post_id = _post(owner, li, text="slotted")
    response = owner.client.post(
        SCHEDULES,
        {"post": post_id, "next_free_slot": True, "scheduled_at": after.isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert dt.datetime.fromisoformat(response.json()["data"]["scheduled_at"]) == first_slot
    second = owner.client.get(
        f"{SLOTS}next_free/", {"social_account": li.id, "after": after.isoformat()}
    ).json()["data"]["next_free_slot"]
    assert dt.datetime.fromisoformat(second).hour in (15, 16)  # 17:00 in Paris


def test_next_free_slot_without_slots_is_a_clear_400(owner):
    x = social_account(owner.account, "twitter")
    post_id = _post(owner, x)
    response = owner.client.post(
        SCHEDULES, {"post": post_id, "next_free_slot": True}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "no_free_slot"


def test_slot_for_another_accounts_social_account_is_400(owner, other_owner):
    foreign = social_account(other_owner.account, "twitter")
    response = owner.client.post(
        SLOTS, {"social_account": foreign.id, "weekday": 1, "time": "10:00"}, format="json"
    )
    assert response.status_code == 400


def test_slot_time_zone_must_exist(owner):
    li = social_account(owner.account, "linkedin")
    response = owner.client.post(
        SLOTS,
        {"social_account": li.id, "weekday": 1, "time": "10:00", "timezone": "Nowhere/City"},
        format="json",
    )
    assert response.status_code == 400 and "timezone" in response.json()["errors"]


def test_a_post_being_published_cannot_be_deleted(owner):
    x = social_account(owner.account, "twitter")
    post_id = _post(owner, x)
    _schedule(owner, post_id, timezone.now())
    claims.claim_next(timezone.now())
    response = owner.client.delete(f"{POSTS}{post_id}/")
    assert response.status_code == 409 and response.json()["code"] == "publishing_in_progress"
    assert PostTarget.unscoped.get(post_id=post_id).status == "publishing"
