"""Throttling by scope (anonymous, user, login), counted in the configured cache.

The suite runs with the local-memory cache and with Redis (REDIS_URL), so these tests
exercise whichever backend the run is configured with.
"""

import pytest
from django.conf import settings
from django.test import override_settings

from flowline.core.testing.members import PASSWORD

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _rates(**rates):
    framework = {**settings.REST_FRAMEWORK}
    framework["DEFAULT_THROTTLE_RATES"] = {**framework["DEFAULT_THROTTLE_RATES"], **rates}
    return override_settings(REST_FRAMEWORK=framework)


def assert_throttled(response):
    body = response.json()
    assert response.status_code == 429, body
    assert body["success"] is False
    assert body["code"] == "throttled"
    assert body["request_id"] == response["X-Request-ID"]
    assert int(response["Retry-After"]) >= 1
    assert body["retry_after"] == int(response["Retry-After"])


@_rates(login="3/min")
def test_fourth_login_in_a_minute_is_429_with_retry_after(owner, api_client):
    # given
    credentials = {"email": owner.user.email, "password": PASSWORD}
    for _ in range(3):
        assert api_client.post(f"{API}/auth/login/", credentials).status_code == 200

    # when
    response = api_client.post(f"{API}/auth/login/", credentials)

    # then
    assert_throttled(response)


@_rates(login="3/min")
def test_login_throttle_counts_per_client_address(owner, api_client):
    # given
    credentials = {"email": owner.user.email, "password": PASSWORD}
    for _ in range(3):
        api_client.post(f"{API}/auth/login/", credentials, REMOTE_ADDR="10.0.0.1")

    # when
    other_address = api_client.post(f"{API}/auth/login/", credentials, REMOTE_ADDR="10.0.0.2")

    # then
    assert other_address.status_code == 200


@_rates(anon="2/min")
def test_anonymous_requests_over_the_anon_rate_are_429(api_client):
    # given
    for _ in range(2):
        assert api_client.get(f"{API}/auth/plans/").status_code == 200

    # when
    response = api_client.get(f"{API}/auth/industries/")

    # then
    assert_throttled(response)


@_rates(anon="2/min")
def test_anon_rate_does_not_limit_signed_in_users(owner):
    # when
    statuses = [owner.client.get(f"{API}/auth/sites/").status_code for _ in range(4)]

    # then
    assert statuses == [200] * 4


@_rates(user="3/min")
def test_user_requests_over_the_user_rate_are_429(owner, other_owner):
    # given
    for _ in range(3):
        assert owner.client.get(f"{API}/auth/sites/").status_code == 200

    # when
    throttled = owner.client.get(f"{API}/auth/sites/")
    someone_else = other_owner.client.get(f"{API}/auth/sites/")

    # then
    assert_throttled(throttled)
    assert someone_else.status_code == 200


def test_throttle_counters_live_in_the_configured_cache(owner):
    # given
    from django.core.cache import cache

    # when
    owner.client.get(f"{API}/auth/sites/")

    # then
    assert cache.get(f"throttle_user_{owner.user.pk}")


@pytest.mark.skipif(not settings.REDIS_URL, reason="the Redis path of the counter")
def test_on_redis_a_request_is_counted_in_one_pipelined_round_trip(owner, monkeypatch):
    # given: the cache API's add/incr (add, then EXISTS + INCR: three round-trips) refuse
    from django.core.cache import cache
    from django.core.cache.backends.redis import RedisCache

    def refuse(*args, **kwargs):
        raise AssertionError("the throttle went through the cache API, not its pipeline")

    monkeypatch.setattr(RedisCache, "incr", refuse)
    monkeypatch.setattr(RedisCache, "add", refuse)

    # when
    statuses = [owner.client.get(f"{API}/auth/sites/").status_code for _ in range(2)]

    # then: counted all the same, under the key DRF would use
    assert statuses == [200, 200]
    assert cache.get(f"throttle_user_{owner.user.pk}") == 2
