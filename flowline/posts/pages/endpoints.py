"""The API views the social publishing pages call (in process, as a client would)."""

from flowline.core.pages.api import Endpoint
from flowline.posts.api.views import (
    PostingSlotViewSet,
    PostViewSet,
    ScheduleViewSet,
)
from flowline.social.api.views import SocialAccountViewSet
from flowline.social.public import Platform

# How a member reads each platform's name ("X (Twitter)", "LinkedIn").
PLATFORM_LABELS = dict(Platform.choices)

posts = Endpoint(PostViewSet, {"get": "list", "post": "create"})
post = Endpoint(PostViewSet, {"get": "retrieve", "put": "update"})
post_submit = Endpoint(PostViewSet, {"post": "submit"})
post_approve = Endpoint(PostViewSet, {"post": "approve"})
post_reject = Endpoint(PostViewSet, {"post": "reject"})
post_retry = Endpoint(PostViewSet, {"post": "retry"})
posts_delete = Endpoint(PostViewSet, {"post": "bulk_delete"})
posts_import = Endpoint(PostViewSet, {"post": "import_csv"})
schedules = Endpoint(ScheduleViewSet, {"post": "create"})
schedule = Endpoint(ScheduleViewSet, {"patch": "partial_update"})
schedule_cancel = Endpoint(ScheduleViewSet, {"post": "cancel"})
calendar = Endpoint(ScheduleViewSet, {"get": "calendar"})
next_free_slot = Endpoint(PostingSlotViewSet, {"get": "next_free"})
slots = Endpoint(PostingSlotViewSet, {"get": "list", "post": "create"})
slot = Endpoint(PostingSlotViewSet, {"delete": "destroy"})
social_accounts = Endpoint(SocialAccountViewSet, {"get": "list"})
platform_rules = Endpoint(SocialAccountViewSet, {"get": "platforms"})


def connected_accounts(request) -> list[dict]:
    """The account's social accounts posts can go to (connected, whatever their token's
    health: one that needs reconnecting is shown as such, and the API refuses it)."""
    answer = social_accounts.call(request, query={"page_size": 100, "ordering": "platform"})
    rows = answer.body.get("results", []) if answer.ok else []
    return [
        {**row, "platform_label": PLATFORM_LABELS.get(row["platform"], row["platform"])}
        for row in rows
        if row["token_health"] != "disconnected"
    ]


def account_names(request) -> dict[int, dict]:
    """Social accounts by id, to name a post's targets."""
    answer = social_accounts.call(request, query={"page_size": 100})
    return {row["id"]: row for row in answer.body.get("results", [])} if answer.ok else {}


def messages_of(errors) -> list[str]:
    """The API's nested field errors as sentences ("variants: twitter: text: ...")."""
    if isinstance(errors, dict):
        return [f"{key}: {m}" for key, value in errors.items() for m in messages_of(value)]
    if isinstance(errors, list):
        return [m for item in errors for m in messages_of(item)]
    return [str(errors)]
