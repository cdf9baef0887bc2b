"""The console's live connection follows its session: it reconnects with a fresh one when
the token it was opened with expires, and a logout in another tab ends it."""

from datetime import timedelta

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from flowline.realtime.public import publish

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CONNECTED = "() => window.flowline.socket() && window.flowline.socket().connected"
# Counts the times the server closed this page's socket.
WATCH_DROPS = """() => {
  window.drops = 0;
  window.flowline.socket().on("disconnect", (reason) => {
    if (reason === "io server disconnect") window.drops += 1;
  });
  window.seen = [];
  document.addEventListener("fl:task_update", (event) => window.seen.push(event.detail.id));
}"""


def test_the_live_connection_survives_its_token_expiring(console, owner, monkeypatch):
    # given: the console opened with an access token that lives a few seconds
    page = console.page
    with monkeypatch.context() as patched:
        patched.setattr(AccessToken, "lifetime", timedelta(seconds=10))
        console.sign_in(owner)
    console.go("/")
    page.wait_for_function(CONNECTED)
    page.evaluate(WATCH_DROPS)

    # when: the token expires, and the server closes the socket
    page.wait_for_function("() => window.drops >= 1", timeout=30_000)

    # then: the page refreshed its session and reconnected, and live events reach it again
    page.wait_for_function(CONNECTED)
    publish(
        "task_update", {"id": "after-expiry", "status": "running"}, rooms=f"user_{owner.user.id}"
    )
    page.wait_for_function("() => window.seen.includes('after-expiry')")
    assert page.url.endswith("/")
    console.shot("live-session-reconnected-after-expiry")


def test_logging_out_in_another_tab_ends_this_tabs_live_connection(console, owner):
    # given: two tabs of the same console session, both live
    console.sign_in(owner)
    console.go("/")
    page = console.page
    page.wait_for_function(CONNECTED)
    other_tab = page.context.new_page()
    other_tab.goto(console.url + "/")
    other_tab.wait_for_function(CONNECTED)

    # when: the other tab logs out
    other_tab.get_by_role("button", name="Your profile").click()
    other_tab.get_by_role("button", name="Log out").click()
    other_tab.wait_for_url("**/login/?logged_out=1")

    # then: this tab's socket is closed, its session cannot be refreshed, and it asks to log in
    page.wait_for_url("**/login/?next=%2F")
    console.shot("live-session-ended-by-logout-in-another-tab")
