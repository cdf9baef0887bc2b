"""Without Redis the API keeps answering: throttles count in the process meanwhile.

Only what truly needs the shared cache (OAuth state kept between two requests, see the
drives' connect tests) answers 503 while it is away.
"""

import logging
import time

import pytest
from django.conf import settings
from django.test import override_settings

from flowline.core.testing.redis_server import RedisServer

pytestmark = pytest.mark.django_db
API = "/api/v1"
REDIS = "django.core.cache.backends.redis.RedisCache"
# Nothing listens on port 1: every connection is refused at once.
REFUSING = {"default": {"BACKEND": REDIS, "LOCATION": "redis://127.0.0.1:1/0"}}


def _rates(**rates):
    framework = {**settings.REST_FRAMEWORK}
    framework["DEFAULT_THROTTLE_RATES"] = {**framework["DEFAULT_THROTTLE_RATES"], **rates}
    return override_settings(REST_FRAMEWORK=framework)


def _redis_at(url: str, timeout: float = 0.5) -> dict:
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    return {"default": {"BACKEND": REDIS, "LOCATION": url, "OPTIONS": options}}


@override_settings(CACHES=REFUSING)
def test_reads_and_writes_answer_while_redis_refuses_connections(owner, api_client):
    # when
    public = api_client.get(f"{API}/auth/plans/")
    read = owner.client.get(f"{API}/auth/sites/")
    write = owner.client.patch(f"{API}/auth/profile/", {"first_name": "Ana"}, format="json")

    # then
    assert public.status_code == 200, public.content
    assert read.status_code == 200, read.content
    assert write.status_code == 200, write.content
    assert write.json()["data"]["first_name"] == "Ana"


@override_settings(CACHES=REFUSING)
@_rates(anon="2/min")
def test_limits_still_hold_from_the_process_while_redis_is_away(api_client):
    # when
    statuses = [api_client.get(f"{API}/auth/plans/").status_code for _ in range(3)]

    # then
    assert statuses == [200, 200, 429]


@override_settings(CACHES=REFUSING)
def test_the_outage_is_logged_once_not_per_request(owner, caplog):
    # when
    with caplog.at_level(logging.WARNING, logger="flowline.throttles"):
        for _ in range(5):
            owner.client.get(f"{API}/auth/sites/")

    # then
    warnings = [r for r in caplog.records if r.name == "flowline.throttles"]
    assert len(warnings) == 1
    assert "counting in this process" in warnings[0].getMessage()


@override_settings(FLOWLINE_THROTTLE_FALLBACK_SECONDS=0)
@_rates(anon="3/min")
@pytest.mark.skipif(not RedisServer.available(), reason="needs redis-server")
def test_counting_goes_back_to_redis_once_it_answers_again(api_client, caplog):
    with RedisServer() as server:
        # given: one request counted while Redis was away
        with override_settings(CACHES=REFUSING):
            assert api_client.get(f"{API}/auth/plans/").status_code == 200

        # when Redis answers again
        with override_settings(CACHES=_redis_at(server.url)), caplog.at_level(logging.WARNING):
            answered = api_client.get(f"{API}/auth/plans/")
            from django.core.cache import cache

            in_redis = cache.get("throttle_anon_127.0.0.1")

    # then
    assert answered.status_code == 200
    assert in_redis == 1
    assert any("reachable again" in r.getMessage() for r in caplog.records)


@pytest.mark.skipif(not RedisServer.available(), reason="needs redis-server")
def test_a_paused_redis_costs_one_timeout_not_one_per_request(owner):
    with RedisServer() as server, override_settings(CACHES=_redis_at(server.url, timeout=0.5)):
        # given: counting in Redis, which then stops answering
        assert owner.client.get(f"{API}/auth/sites/").status_code == 200
        server.pause()

        # when
        started = time.monotonic()
        statuses = [owner.client.get(f"{API}/auth/sites/").status_code for _ in range(6)]
        elapsed = time.monotonic() - started

    # then: answered; only the first request waited for Redis (6 timeouts would be 3 s)
    assert statuses == [200] * 6
    assert elapsed < 2.5
