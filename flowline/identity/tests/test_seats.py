"""The plan's max_users: members and pending invitations hold seats."""

import pytest

pytestmark = pytest.mark.django_db


def test_inviting_beyond_the_plans_seats_is_402_naming_the_limit(owner):
    # given: the free plan's five seats, one held by the owner
    for n in range(4):
        response = owner.client.post(
            "/api/v1/auth/users/invite/",
            {"email": f"p{n}@example.com", "role": "viewer"},
            format="json",
        )
        assert response.status_code == 201, response.content
    # when
    response = owner.client.post(
        "/api/v1/auth/users/invite/", {"email": "one-more@example.com"}, format="json"
    )
    direct = owner.client.post(
        "/api/v1/auth/users/",
        {"email": "direct@example.com", "password": "Sturdy-Pass-9981"},
        format="json",
    )
    # then
    assert response.status_code == direct.status_code == 402
    body = response.json()
    assert body["code"] == "plan_limit_exceeded" and body["limit"] == "max_users"
    # re-inviting the same person does not take a second seat
    again = owner.client.post(
        "/api/v1/auth/users/invite/", {"email": "p0@example.com", "role": "editor"}, format="json"
    )
    assert again.status_code == 201
