"""The check every app runs on URLs users give (webhooks, AI providers, WordPress) when
they are saved; the same rules hold at each use (test_outbound_guard.py)."""

import pytest

from flowline.core import urlguard
from flowline.core.errors import ApplicationError

INTERNAL = [
    "http://127.0.0.1/",
    "http://127.1.2.3:8080/hook",
    "http://localhost/",
    "http://10.0.0.5/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",  # shared address space (carrier-grade NAT)
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata, link-local
    "http://0.0.0.0/",
    "http://224.0.0.1/",  # multicast
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",
    "http://[::1]/",
    "http://[::]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[ff02::1]/",  # IPv6 multicast
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped loopback
    "http://[::ffff:169.254.169.254]/",
    "http://[2002:7f00:1::1]/",  # 6to4 around 127.0.0.1
    "http://[64:ff9b::a00:1]/",  # NAT64 around 10.0.0.1
]


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_addresses_are_refused(url):
    # when
    with pytest.raises(ApplicationError) as raised:
        urlguard.check(url, field="url")

    # then
    assert raised.value.code == "forbidden_url"
    assert raised.value.errors == {"url": ["Internal addresses are not allowed."]}


@pytest.mark.parametrize(
    "url", ["https://8.8.8.8/hook", "http://[2606:4700:4700::1111]/", "http://[::ffff:8.8.8.8]/"]
)
def test_public_addresses_pass(url):
    urlguard.check(url, field="url")


def test_an_internal_address_passes_when_its_host_and_port_are_allow_listed(settings):
    # given: a model server on this machine
    settings.FLOWLINE_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1:11434"]

    # when / then: that host:port passes; another port or another private host does not
    urlguard.check("http://127.0.0.1:11434/v1", field="url")
    for url in ("http://127.0.0.1:8000/", "http://10.0.0.5:11434/"):
        with pytest.raises(ApplicationError) as raised:
            urlguard.check(url, field="url")
        assert raised.value.code == "forbidden_url"


@pytest.mark.parametrize(
    "url", ["ftp://example.com/", "file:///etc/passwd", "http://", "not a url", "http://h:port/"]
)
def test_what_is_not_an_http_url_is_refused(url):
    # when / then
    with pytest.raises(ApplicationError) as raised:
        urlguard.check(url, field="url")
    assert raised.value.errors == {"url": ["Enter an http(s) URL."]}


def test_a_host_that_does_not_resolve_yet_is_accepted_when_saved():
    # when / then: .invalid never resolves (RFC 6761); it is checked again when used
    urlguard.check("https://hooks.flowline.invalid/", field="url")


@pytest.mark.parametrize(
    ("url", "entry"),
    [
        ("http://127.0.0.1:8080/v1", "127.0.0.1:8080"),
        ("https://Ollama.Lan/", "ollama.lan:443"),
        ("http://[::1]/", "[::1]:80"),
        ("http://[::ffff:127.0.0.1]:9/", "127.0.0.1:9"),
    ],
)
def test_host_port_names_a_url_as_the_allow_list_does(url, entry):
    assert urlguard.host_port(url) == entry
