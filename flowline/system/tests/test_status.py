"""003 System module: `system/status/` reports the database, cache, Redis and Celery, and is
a 503 in the error envelope when one is down."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

STATUS = "/api/v1/system/status/"
DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def test_status_reports_database_cache_and_version(api_client):
    # when
    response = api_client.get(STATUS)

    # then
    body = response.json()
    assert response.status_code == 200
    assert body["success"] is True
    assert body["data"]["status"] == "healthy"
    assert body["data"]["database"] == "connected"
    assert body["data"]["cache"] == "connected"
    assert body["data"]["version"]


@override_settings(CACHES=DEAD_REDIS)
def test_status_is_503_in_the_error_envelope_when_the_cache_is_down(api_client):
    # when: a real connection to a closed port fails
    response = api_client.get(STATUS)

    # then
    body = response.json()
    assert response.status_code == 503
    assert body["success"] is False
    assert body["code"] == "service_unavailable"
    assert body["request_id"] == response["X-Request-ID"]
    assert body["errors"]["cache"].startswith("down")
    assert body["data"]["status"] == "unhealthy"
    assert body["data"]["database"] == "connected"
    assert body["data"]["cache"].startswith("down")


def test_status_reports_redis_and_celery_as_igny8_names_them(api_client, settings):
    # when
    response = api_client.get(STATUS)

    # then: Redis is pinged when configured; celery is the workers' state
    data = response.json()["data"]
    assert data["redis"] == ("connected" if settings.REDIS_URL else "not configured")
    assert data["celery"] == data["worker"] == data["checks"]["celery"]


def test_status_is_503_when_the_configured_redis_is_down(api_client, settings):
    # given: a real connection to a closed port
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    # when
    response = api_client.get(STATUS)

    # then
    assert response.status_code == 503
    assert response.json()["errors"]["redis"].startswith("down")
    assert response.json()["data"]["redis"].startswith("down")
