"""The steps the token tests take: signing in with a password, calling the API with a bearer
token, and checking how a refused token is answered."""

from flowline.core.testing.client import CommittingAPIClient as APIClient

API = "/api/v1"
ENVELOPE_KEYS = {"success", "error", "errors", "code", "request_id"}


def bearer(access: str) -> APIClient:
    """A client of its own that sends `access` as its bearer token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def password_login(member, **extra) -> dict:
    """A new sign-in of `member` with their password: its token pair."""
    response = APIClient().post(
        f"{API}/auth/login/",
        {"email": member.user.email, "password": member.password, **extra},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()["data"]["tokens"]


def assert_refused(response, code: str = "token_not_valid") -> None:
    """A 401 in the error envelope, with `code`."""
    assert response.status_code == 401, response.content
    body = response.json()
    assert set(body) >= ENVELOPE_KEYS
    assert body["success"] is False
    assert body["code"] == code
