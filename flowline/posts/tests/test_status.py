"""A post's overall status, derived from its targets' states."""

import pytest

from flowline.posts.models import Post
from flowline.posts.services.status import derive_status


def _post(**fields) -> Post:
    return Post(**{"requires_approval": False, "approval": "none", **fields})


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        ([], "draft"),
        (["draft", "draft"], "draft"),
        (["scheduled", "scheduled"], "scheduled"),
        (["publishing", "scheduled"], "publishing"),
        (["published", "retrying"], "publishing"),
        (["published", "unknown"], "publishing"),
        (["published", "scheduled"], "publishing"),  # a retry of the failed one is queued
        (["published", "published", "published"], "published"),
        (["published", "failed", "published"], "partially_published"),
        (["published", "missed"], "partially_published"),
        (["published", "draft"], "partially_published"),  # the rest was taken off the schedule
        (["failed", "failed"], "failed"),
        (["failed", "missed"], "failed"),
        (["missed", "missed"], "missed"),
    ],
)
def test_status_follows_the_targets(targets, expected):
    assert derive_status(_post(), targets) == expected


def test_approval_states_show_before_scheduling():
    assert derive_status(_post(requires_approval=True, approval="pending"), ["draft"]) == (
        "pending_approval"
    )
    assert derive_status(_post(requires_approval=True, approval="approved"), ["draft"]) == (
        "approved"
    )
    assert derive_status(_post(requires_approval=True, approval="rejected"), ["draft"]) == "draft"
    assert derive_status(_post(requires_approval=True, approval="approved"), ["scheduled"]) == (
        "scheduled"
    )
