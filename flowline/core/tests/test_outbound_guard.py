"""The guarded transport under every outbound call: resolve once, refuse internal
addresses unless their host:port is allow-listed, connect to the checked address,
check every redirect hop."""

import socket

import httpx
import pytest
import requests

from flowline.core import outbound
from flowline.core.outbound import addresses
from flowline.core.outbound.errors import ForbiddenURL, Rejected, Transient
from flowline.core.testing.outbound import (
    ScriptedServer,
    allow_private_host,
    internal_service,
    redirect_to,
)


def test_an_internal_address_is_refused_before_anything_is_sent():
    # when
    with (
        internal_service() as internal,
        outbound.Client() as client,
        pytest.raises(ForbiddenURL) as raised,
    ):
        client.request("GET", f"{internal.url}/latest/meta-data/")

    # then
    assert raised.value.code == "forbidden_url"
    assert internal.requests == []


def test_an_allow_listed_host_and_port_is_reached(settings):
    with internal_service() as service, outbound.Client() as client:
        allow_private_host(settings, service.url)

        # when
        response = client.request("GET", f"{service.url}/models")

    # then
    assert response.content == b"instance-secret"
    assert [r["path"] for r in service.requests] == ["/models"]


@pytest.mark.parametrize(
    "entry",
    [
        "127.0.0.1:{other}",  # another port of the same host
        "localhost:{port}",  # the same port under a name the URL does not use
        "127.0.0.2:{port}",
    ],
)
def test_the_allow_list_matches_the_exact_host_and_port(settings, entry):
    with internal_service() as service, outbound.Client() as client:
        settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = [
            entry.format(port=service.port, other=service.port + 1)
        ]

        # when / then
        with pytest.raises(ForbiddenURL):
            client.request("GET", service.url)
        assert service.requests == []


@pytest.mark.parametrize(
    "host",
    [
        "[::ffff:127.0.0.1]",  # IPv4-mapped loopback
        "[::ffff:7f00:1]",  # the same, written in hex
        "[::ffff:169.254.169.254]",
        "[64:ff9b::a9fe:a9fe]",  # NAT64 around 169.254.169.254
        "[2002:7f00:1::1]",  # 6to4 around 127.0.0.1
        "[::1]",
        "0.0.0.0",
        "[::]",
    ],
)
def test_ipv6_forms_of_internal_addresses_are_refused(host):
    with outbound.Client() as client, pytest.raises(ForbiddenURL):
        client.request("GET", f"http://{host}:9/")


def test_an_ipv6_form_is_allow_listed_by_the_ipv4_inside(settings):
    with ScriptedServer() as service, outbound.Client() as client:
        # given: the allow-list names 127.0.0.1:port, the URL the IPv4-mapped form of it
        settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = [f"127.0.0.1:{service.port}"]

        # when
        response = client.request("GET", f"http://[::ffff:127.0.0.1]:{service.port}/")

    # then
    assert response.status_code == 200


def test_allow_list_entries_are_read_in_their_canonical_form():
    assert addresses.parse_entry("[::ffff:127.0.0.1]:8080") == ("127.0.0.1", 8080)
    assert addresses.parse_entry("[FD00::7]:11434") == ("fd00::7", 11434)
    assert addresses.parse_entry("Ollama.LAN.:11434") == ("ollama.lan", 11434)


@pytest.mark.parametrize("entry", ["127.0.0.1", "host:", "::1:80", "[::1]", "host:99999"])
def test_an_allow_list_entry_without_a_port_is_a_configuration_error(settings, entry):
    from django.core.exceptions import ImproperlyConfigured

    settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = [entry]
    with outbound.Client() as client, pytest.raises(ImproperlyConfigured):
        client.request("GET", "http://127.0.0.1:9/")


def test_a_malformed_allow_list_fails_the_system_checks(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1:11434", "ollama.lan"]
    with pytest.raises(SystemCheckError, match=r"'ollama\.lan' is not host:port"):
        call_command("check")


def test_the_name_is_resolved_once_and_the_connection_goes_to_the_checked_address(
    settings, monkeypatch
):
    # given: a name whose second answer would be an internal address (DNS rebinding)
    lookups = []
    real_getaddrinfo = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.test":
            lookups.append(host)
            address = "127.0.0.1" if len(lookups) == 1 else "169.254.169.254"
            return real_getaddrinfo(address, port, *args, **kwargs)
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with ScriptedServer() as service, outbound.Client() as client:
        settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = [f"127.0.0.1:{service.port}"]

        # when
        response = client.request("GET", f"http://rebind.test:{service.port}/")

    # then: one lookup; the request reached the checked address, named by its host
    assert response.status_code == 200
    assert lookups == ["rebind.test"]
    assert service.requests[0]["headers"]["host"] == f"rebind.test:{service.port}"


def test_a_name_that_resolves_to_an_internal_address_is_refused(monkeypatch):
    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: real_getaddrinfo(
            "169.254.169.254" if host == "metadata.test" else host, port, *a, **k
        ),
    )
    with outbound.Client() as client, pytest.raises(ForbiddenURL):
        client.request("GET", "http://metadata.test/latest/meta-data/")


def test_a_name_that_does_not_resolve_is_a_transient_failure():
    with outbound.Client(service="Example") as client, pytest.raises(Transient) as raised:
        client.request("GET", "http://nowhere.invalid/")
    assert "unreachable" in raised.value.message


def test_each_redirect_hop_is_checked_again(settings):
    with (
        internal_service() as internal,
        redirect_to(f"{internal.url}/latest/meta-data/") as redirector,
        outbound.Client(follow_redirects=True) as client,
    ):
        allow_private_host(settings, redirector.url)

        # when
        with pytest.raises(ForbiddenURL):
            client.request("GET", redirector.url)

    # then
    assert len(redirector.requests) == 1
    assert internal.requests == []


def test_redirects_are_answers_unless_the_client_follows_them(settings):
    with (
        internal_service() as internal,
        redirect_to(internal.url) as redirector,
        outbound.Client(service="Example") as client,
    ):
        allow_private_host(settings, redirector.url)

        # when
        with pytest.raises(Rejected) as raised:
            client.request("GET", redirector.url)

    # then
    assert "not followed" in raised.value.message
    assert raised.value.remote_status == 302
    assert internal.requests == []


def test_a_client_follows_a_bounded_number_of_redirects(settings):
    with (
        ScriptedServer((302, {"Location": "{url}/again"}, b"")) as loop,
        outbound.Client(follow_redirects=True) as client,
    ):
        allow_private_host(settings, loop.url)

        # when
        with pytest.raises(Rejected) as raised:
            client.request("GET", loop.url)

    # then
    assert "too many" in raised.value.message
    assert len(loop.requests) == outbound.Client.max_redirects + 1


def test_the_requests_session_of_the_sdks_is_guarded_too(settings):
    with (
        internal_service() as internal,
        redirect_to(internal.url) as redirector,
        outbound.guarded_session(timeout=5) as session,
    ):
        allow_private_host(settings, redirector.url)

        # when / then: the direct call and the redirected one are both refused
        with pytest.raises(ForbiddenURL):
            session.get(internal.url)
        with pytest.raises(ForbiddenURL):
            session.get(redirector.url)
        assert session.get(redirector.url, allow_redirects=False).status_code == 302
    assert internal.requests == []


def test_the_requests_session_reads_answers_like_requests_does(settings):
    answer = (201, {"Content-Type": "application/json; charset=utf-8"}, b'{"id": 7}')
    with ScriptedServer(answer) as service, outbound.guarded_session(timeout=5) as session:
        allow_private_host(settings, service.url)

        # when
        response = session.post(f"{service.url}/things", json={"name": "x"})

    # then
    assert response.status_code == 201 and response.json() == {"id": 7}
    assert response.headers["content-type"].startswith("application/json")
    assert service.requests[0]["body"] == b'{"name": "x"}'


def test_the_requests_session_maps_timeouts_to_requests_exceptions(settings):
    with (
        ScriptedServer(hang=True) as silent,
        outbound.guarded_session(timeout=0.3) as session,
    ):
        allow_private_host(settings, silent.url)
        with pytest.raises(requests.exceptions.ReadTimeout):
            session.get(silent.url)


def test_the_bare_httpx_client_for_sdks_is_guarded(settings):
    with internal_service() as internal, outbound.http_client() as client:
        with pytest.raises(ForbiddenURL):
            client.get(internal.url)
        assert isinstance(client, httpx.Client)
    assert internal.requests == []
