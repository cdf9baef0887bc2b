"""SellFlow (seed 001) as its frontend calls Flowline: base `/api`, paths as its README's
tables write them (trailing slash), `Authorization: Bearer <access>`. One row per table line."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from flowline.ai.testing.fixtures import no_ai_environment  # noqa: F401
from flowline.chat.tests.factories import ConversationFactory
from flowline.commerce.tests.factories import ProductFactory
from flowline.contracts.tests.table import Row, call, check, params
from flowline.core.testing.client import CommittingAPIClient as APIClient
from flowline.notifications.tests.factories import NotificationFactory
from flowline.posts.tests.factories import PostFactory
from flowline.social.testing.fixtures import fake_graph  # noqa: F401

pytestmark = pytest.mark.django_db

BASE = "/api"
ENVELOPE = ("success", "data")
LIST = ("count", "results")


def _png(name="p.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (120, 120), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


ROWS = [
    # Authentication
    Row(
        "POST",
        "/auth/register/",
        {
            "email": "seller@example.com",
            "password": "Seller-pass-123",
            "password_confirm": "Seller-pass-123",
        },
        status=201,
        keys=("success",),
    ),
    Row(
        "POST",
        "/auth/login/",
        lambda w: {"email": w["email"], "password": w["password"]},
        keys=("access", "refresh", "user"),
    ),
    Row("POST", "/auth/logout/", lambda w: {"refresh": w["refresh"]}),
    Row(
        "POST",
        "/auth/token/refresh/",
        lambda w: {"refresh": w["refresh"]},
        keys=("access", "refresh"),
    ),
    Row("GET", "/auth/profile/", keys=ENVELOPE),
    Row("PUT", "/auth/profile/", {"first_name": "Sam", "theme": "dark"}, keys=ENVELOPE),
    # Products
    Row("GET", "/products/", keys=LIST),
    Row("POST", "/products/", {"name": "Yoga mat", "price": "29.90"}, status=201, keys=ENVELOPE),
    Row("GET", "/products/{product}/", keys=ENVELOPE),
    Row("PUT", "/products/{product}/", {"name": "Yoga mat XL", "price": "34.90"}, keys=ENVELOPE),
    Row("DELETE", "/products/{product}/"),
    Row(
        "POST",
        "/products/{product}/upload-images/",
        lambda w: {"images": [_png()]},
        fmt="multipart",
        status=201,
        keys=ENVELOPE,
    ),
    Row("GET", "/products/categories/", keys=LIST),
    Row(
        "POST",
        "/ai/generate/description/",
        lambda w: {"product_id": w["product"], "features": ["non-slip"]},
        keys=ENVELOPE,
    ),
    # Chat
    Row("GET", "/chat/conversations/", keys=LIST),
    Row(
        "POST",
        "/chat/conversations/",
        {"customer_handle": "+351911000001", "channel": "web"},
        status=201,
        keys=ENVELOPE,
    ),
    Row("GET", "/chat/conversations/{conversation}/", keys=ENVELOPE),
    Row("GET", "/chat/conversations/{conversation}/messages/", keys=LIST),
    Row(
        "POST",
        "/chat/conversations/{conversation}/messages/",
        {"body": "Hello!"},
        status=201,
        keys=ENVELOPE,
    ),
    Row(
        "POST",
        "/ai/chat/suggestions/",
        lambda w: {"conversation_id": w["conversation"]},
        keys=ENVELOPE,
    ),
    # Analytics
    Row("GET", "/analytics/dashboard/", keys=ENVELOPE),
    Row("GET", "/analytics/platforms/", keys=ENVELOPE),
    Row("GET", "/analytics/conversions/", keys=ENVELOPE),
    Row("GET", "/analytics/events/", keys=LIST),
    Row(
        "POST",
        "/analytics/events/",
        {"event_type": "product_view", "platform": "web"},
        status=201,
        keys=ENVELOPE,
    ),
    # Social
    Row("GET", "/social/accounts/", keys=LIST),
    # connecting starts the platform's OAuth: the frontend sends the browser to the URL
    Row(
        "POST",
        "/social/accounts/",
        {"platform": "facebook"},
        keys=("authorization_url",),
        at="data",
    ),
    Row(
        "POST",
        "/social/posts/",
        {"title": "Launch", "text": "New mats in stock"},
        status=201,
        keys=ENVELOPE,
    ),
    Row("GET", "/social/schedules/", keys=LIST),
    Row(
        "POST",
        "/social/schedules/",
        lambda w: {"post": w["post"], "scheduled_at": "2030-01-01T10:00:00Z"},
        status=201,
        keys=ENVELOPE,
    ),
    # Notifications
    Row("GET", "/notifications/", keys=LIST),
    Row("POST", "/notifications/{notification}/mark_read/", keys=ENVELOPE),
    Row("POST", "/notifications/mark_all_read/", keys=ENVELOPE),
    Row("GET", "/notifications/count/", keys=ENVELOPE),
    Row("GET", "/notifications/preferences/", keys=ENVELOPE),
    Row(
        "PUT",
        "/notifications/preferences/",
        {
            "preferences": [
                {"notification_type": "credits_low", "email": False, "in_app": True, "push": False}
            ]
        },
        keys=ENVELOPE,
    ),
]


@pytest.fixture(autouse=True)
def _offline_ai(no_ai_environment):  # noqa: F811
    """AI work runs on the built-in offline provider."""


@pytest.fixture
def world(owner, fake_graph):  # noqa: F811
    login = APIClient().post(
        "/api/auth/login/", {"email": owner.user.email, "password": owner.password}
    )
    return {
        "email": owner.user.email,
        "password": owner.password,
        "refresh": login.json()["refresh"],
        "product": ProductFactory(account=owner.account).id,
        "conversation": ConversationFactory(account=owner.account).id,
        "notification": NotificationFactory(account=owner.account, user=owner.user).id,
        "post": PostFactory(account=owner.account).id,
    }


@pytest.mark.parametrize("row", params(ROWS))
def test_documented_endpoint_answers_as_documented(row, owner, world):
    # given: the frontend signed in with a Bearer token; when: it calls the documented path
    response = call(owner.client, row, BASE, world)
    # then: the documented status and keys
    check(response, row)


def test_the_frontend_stays_signed_in_past_the_access_token_by_refreshing(owner):
    # given: a login, the way SellFlow logs in
    login = (
        APIClient()
        .post("/api/auth/login/", {"email": owner.user.email, "password": owner.password})
        .json()
    )
    # when: its access token runs out and it refreshes at `auth/token/refresh/`
    refreshed = APIClient().post("/api/auth/token/refresh/", {"refresh": login["refresh"]})
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {refreshed.json()['access']}")
    # then: the new access token works, and the old refresh token is spent (rotation)
    assert refreshed.status_code == 200
    assert client.get("/api/auth/profile/").status_code == 200
    again = APIClient().post("/api/auth/token/refresh/", {"refresh": login["refresh"]})
    assert again.status_code == 401
