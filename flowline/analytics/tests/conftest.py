from datetime import timedelta

import pytest
from django.utils import timezone

from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.identity.public import api_key_create

API = "/api/v1/analytics"


@pytest.fixture
def today():
    return timezone.now().date()


@pytest.fixture
def at():
    """`at(days_ago, hour)`: an ISO time on a UTC day relative to today."""

    def make(days_ago: int = 0, hour: int = 12) -> str:
        day = timezone.now().date() - timedelta(days=days_ago)
        return f"{day.isoformat()}T{hour:02d}:00:00Z"

    return make


@pytest.fixture
def track():
    """`track(member, events)`: POST a batch through the API and return the answer."""

    def send(member, events, *, expect: int | None = 201):
        response = member.client.post(f"{API}/events/", {"events": events}, format="json")
        if expect is not None:
            assert response.status_code == expect, response.content
        return response

    return send


@pytest.fixture
def keyed_client():
    """`keyed_client(member, scopes)`: a client using a new API key of the member's."""

    def make(member, scopes: list[str]) -> APIClient:
        issued = api_key_create(
            account_id=member.account_id, user=member.user, name="tracker", scopes=scopes
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {issued.secret}")
        return client

    return make
