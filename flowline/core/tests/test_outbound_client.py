"""The outbound client every integration uses: one mapping of answers to errors, one
Retry-After parser, retries that never repeat what may have been done."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from flowline.core import outbound
from flowline.core.outbound import errors
from flowline.core.testing.outbound import ScriptedServer, allow_private_host

FAST = outbound.Retry(attempts=3, backoff=0.0)


@pytest.fixture
def serve(settings):
    """Start a ScriptedServer with these answers, allow-listed for the test."""
    servers = []

    def start(*answers, **kwargs) -> ScriptedServer:
        server = ScriptedServer(*answers, **kwargs)
        servers.append(server)
        allow_private_host(settings, server.url)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, errors.Rejected),
        (401, errors.AuthRefused),
        (403, errors.AuthRefused),
        (404, errors.NotFound),
        (410, errors.NotFound),
        (408, errors.Timeout),
        (422, errors.Rejected),
        (429, errors.Transient),
        (500, errors.Transient),
        (503, errors.Transient),
    ],
)
def test_each_status_maps_to_one_error_class(serve, status, kind):
    server = serve((status, {"Content-Type": "application/json"}, b'{"message": "nope"}'))
    with outbound.Client(service="Example") as client, pytest.raises(kind) as raised:
        client.request("GET", server.url)
    assert type(raised.value) is kind
    assert raised.value.message == f"Example answered {status}: nope"
    assert raised.value.remote_status == status


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b'{"error": {"message": "bad key", "code": 190}}', "bad key"),
        (b'{"error": "invalid_grant", "error_description": "expired"}', "expired"),
        (b'{"detail": "Too long"}', "Too long"),
        (b'{"errors": [{"message": "first"}, {"message": "second"}]}', "first"),
        (b"<html>oops</html>", "Bad Request"),
    ],
)
def test_the_message_comes_from_the_common_error_bodies(serve, body, detail):
    server = serve((400, {}, body))
    with outbound.Client(service="Example") as client, pytest.raises(errors.Rejected) as raised:
        client.request("GET", server.url)
    assert raised.value.message == f"Example answered 400: {detail}"


def test_retry_after_is_read_as_seconds_or_as_a_date():
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    assert outbound.retry_after({"retry-after": "30"}) == 30.0
    assert 85 <= outbound.retry_after({"retry-after": later}) <= 90
    assert outbound.retry_after({"retry-after": "soon"}) is None
    assert outbound.retry_after({}) is None


def test_a_transient_answer_carries_the_retry_after_it_came_with(serve):
    server = serve((429, {"Retry-After": "120"}, b""))
    with outbound.Client(retry=FAST) as client, pytest.raises(errors.Transient) as raised:
        client.request("GET", server.url)

    # then: longer than the client waits, so it is left to the caller's queue
    assert raised.value.retry_after == 120.0
    assert len(server.requests) == 1


def test_a_read_is_tried_again_after_a_transient_answer(serve):
    server = serve((503, {"Retry-After": "0"}, b""), (200, {}, b"fine"))
    with outbound.Client(retry=FAST) as client:
        response = client.request("GET", server.url)
    assert response.content == b"fine"
    assert len(server.requests) == 2


def test_a_write_is_not_tried_again_after_a_server_error(serve):
    server = serve((503, {}, b""), (200, {}, b"fine"))
    with outbound.Client(retry=FAST) as client, pytest.raises(errors.Transient):
        client.request("POST", server.url, json={"n": 1})
    assert len(server.requests) == 1


def test_a_write_is_tried_again_after_429_which_did_nothing(serve):
    server = serve((429, {"Retry-After": "0"}, b""), (201, {}, b"made"))
    with outbound.Client(retry=FAST) as client:
        response = client.request("POST", server.url, json={"n": 1})
    assert response.status_code == 201
    assert len(server.requests) == 2


def test_retries_stop_at_the_policy_s_attempts(serve):
    server = serve((500, {}, b""))
    with outbound.Client(retry=FAST) as client, pytest.raises(errors.Transient):
        client.request("GET", server.url)
    assert len(server.requests) == 3


def test_backoff_doubles_up_to_its_cap_with_jitter():
    policy = outbound.Retry(attempts=10, backoff=1.0, cap=8.0)
    waits = [policy.delay(attempt) for attempt in range(1, 6)]
    assert 0.5 <= waits[0] <= 1.0 and 2.0 <= waits[2] <= 4.0 and 4.0 <= waits[4] <= 8.0
    assert policy.delay(10) is None


def test_a_sent_request_without_an_answer_is_an_unknown_outcome(serve):
    silent = serve(hang=True)
    with outbound.Client(timeout=0.3, retry=FAST) as client:
        with pytest.raises(errors.UnknownOutcome):
            client.request("POST", silent.url, json={"text": "hello"}, sends=True)
        with pytest.raises(errors.Timeout) as raised:
            client.request("GET", silent.url)
    assert not isinstance(raised.value, errors.UnknownOutcome)
    # the unknown outcome was never sent again; the read was tried three times
    assert [r["method"] for r in silent.requests] == ["POST", "GET", "GET", "GET"]


def test_an_answer_larger_than_the_limit_is_refused_or_cut(serve):
    server = serve((200, {}, b"x" * 5000))
    with outbound.Client() as client:
        with pytest.raises(errors.TooLarge):
            client.request("GET", server.url, limit=1000)
        response = client.request("GET", server.url, limit=1000, truncate=True)
    assert response.content == b"x" * 1000


def test_check_false_returns_error_answers(serve):
    server = serve((418, {}, b"teapot"))
    with outbound.Client() as client:
        response = client.request("GET", server.url, check=False)
    assert response.status_code == 418 and response.content == b"teapot"


class ShopError(errors.OutboundError):
    def __init__(self, message, *, shop="", **kwargs):
        super().__init__(message, **kwargs)
        self.shop = shop


class ShopBusy(ShopError, errors.Transient):
    default_code = "shop_busy"


class ShopRefused(ShopError, errors.Rejected):
    default_code = "shop_refused"


class ShopClient(outbound.Client):
    service = "Shop"
    errors = {errors.Transient: ShopBusy, errors.OutboundError: ShopRefused}

    def classify(self, response):
        if outbound.json_body(response).get("code") == "slow_down":
            return errors.Transient
        return super().classify(response)

    def make_error(self, kind, message, **fields):
        return super().make_error(kind, message, shop="corner", **fields)


def test_an_integration_refines_the_mapping_with_its_own_classes(serve, settings):
    server = serve(
        (400, {}, b'{"code": "slow_down"}'),
        (504, {"Retry-After": "7"}, b""),
        (404, {}, b""),
    )
    with ShopClient() as client:
        # when / then: its body rule, the core rule, and the fallback to its base class
        with pytest.raises(ShopBusy) as busy:
            client.request("GET", server.url)
        with pytest.raises(ShopBusy) as timed_out:
            client.request("GET", server.url)
        with pytest.raises(ShopRefused) as missing:
            client.request("GET", server.url)
        with pytest.raises(ShopRefused) as forbidden:
            client.request("GET", "http://169.254.169.254/")
    assert busy.value.transient and busy.value.shop == "corner"
    assert isinstance(busy.value, errors.Transient) and busy.value.code == "shop_busy"
    assert timed_out.value.retry_after == 7.0
    assert isinstance(missing.value, errors.OutboundError) and missing.value.remote_status == 404
    assert forbidden.value.code == "forbidden_url"
