"""Each list's query count, pinned: it must not grow with the number of rows."""

import datetime as dt

import pytest
from django.utils import timezone

from flowline.posts.tests.factories import social_account

pytestmark = pytest.mark.django_db
SOCIAL = "/api/v1/social"


@pytest.fixture
def many(owner):
    """Eight scheduled posts to two accounts, with variants, and four slots."""
    x = social_account(owner.account, "twitter")
    li = social_account(owner.account, "linkedin")
    when = timezone.now() + dt.timedelta(days=1)
    for n in range(8):
        body = {
            "text": f"Post {n}",
            "targets": [x.id, li.id],
            "variants": {"twitter": {"text": f"X {n}"}},
        }
        post_id = owner.client.post(f"{SOCIAL}/posts/", body, format="json").json()["data"]["id"]
        owner.client.post(
            f"{SOCIAL}/schedules/",
            {"post": post_id, "scheduled_at": (when + dt.timedelta(hours=n)).isoformat()},
            format="json",
        )
    for weekday in range(4):
        owner.client.post(
            f"{SOCIAL}/slots/",
            {"social_account": x.id, "weekday": weekday, "time": "09:00"},
            format="json",
        )
    return when


@pytest.mark.parametrize(
    ("path", "queries", "count"),
    [("posts/", 5, 8), ("schedules/", 5, 8), ("slots/", 3, 4)],
)
def test_list_query_counts(owner, many, django_assert_num_queries, path, queries, count):
    with django_assert_num_queries(queries):
        response = owner.client.get(f"{SOCIAL}/{path}", {"page_size": 100})
    assert response.json()["count"] == count


def test_calendar_query_count(owner, many, django_assert_num_queries):
    start = many - dt.timedelta(hours=1)
    with django_assert_num_queries(4):
        response = owner.client.get(
            f"{SOCIAL}/schedules/calendar/",
            {"start": start.isoformat(), "end": (start + dt.timedelta(days=2)).isoformat()},
        )
    assert sum(len(day["posts"]) for day in response.json()["data"]["days"]) == 8
