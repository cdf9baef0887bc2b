"""How the Meta adapters classify Graph's error answers: WhatsApp's codes, Messenger's 24-hour
window, Instagram's publishing limit."""

import pytest

from flowline.social.errors import (
    AuthorizationError,
    ContentRejected,
    TransientPlatformError,
)
from flowline.social.public import adapter_for
from flowline.social.testing.fixtures import (
    connect_facebook_page,
    connect_instagram,
    connect_whatsapp,
)
from flowline.social.tests.platforms import PLATFORMS


def _graph_error(code, subcode=None, status=400, message="error"):
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "A1"}
    if subcode:
        error["error_subcode"] = subcode
    return {"status": status, "body": {"error": error}}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (_graph_error(130429, message="Rate limit hit"), TransientPlatformError),
        (
            _graph_error(131056, message="(Business Account, Consumer Account) pair rate limit"),
            TransientPlatformError,
        ),
        (_graph_error(131000, status=500, message="Something went wrong"), TransientPlatformError),
        (_graph_error(131047, message="Re-engagement message"), ContentRejected),
        (_graph_error(131026, message="Message undeliverable"), ContentRejected),
        (_graph_error(190, 463, message="Session has expired"), AuthorizationError),
        (_graph_error(200, message="Permissions error"), AuthorizationError),
    ],
)
def test_whatsapp_error_codes(owner, fake_graph, answer, expected):
    account = connect_whatsapp(owner, fake_graph)
    fake_graph.fail_next("answer", **answer)
    if expected is AuthorizationError:  # refreshing cannot help either
        fake_graph.revoke_all()

    with pytest.raises(expected):
        adapter_for(account).publish({"text": "New arrivals"})

    account.refresh_from_db()
    assert (account.status == "expired") is (expected is AuthorizationError)


@pytest.mark.django_db
def test_messenger_reply_outside_the_24h_window_is_refused_not_dead(owner, fake_graph):
    account = connect_facebook_page(owner, fake_graph)
    fake_graph.fail_next(
        "answer",
        **_graph_error(
            10, 2018278, message="(#10) This message is sent outside of allowed window."
        ),
    )

    with pytest.raises(ContentRejected):
        adapter_for(account).send_message(recipient="PSID-1", text="Hello again")

    account.refresh_from_db()
    assert account.status == "active"


@pytest.mark.django_db
def test_instagram_publishing_limit_is_transient(owner, fake_graph):
    account = connect_instagram(owner, fake_graph)
    fake_graph.fail_next(
        "answer",
        **_graph_error(9, 2207042, status=400, message="Application request limit reached"),
    )

    with pytest.raises(TransientPlatformError):
        adapter_for(account).publish(PLATFORMS["instagram"][2])
