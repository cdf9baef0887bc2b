"""The SSRF guard every app runs on URLs users give (webhooks, AI providers, WordPress)."""

import pytest
from django.test import override_settings

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


@override_settings(FLOWLINE_BLOCK_PRIVATE_URLS=True)
@pytest.mark.parametrize("url", INTERNAL)
def test_internal_addresses_are_refused_in_production(url):
    # when
    with pytest.raises(ApplicationError) as raised:
        urlguard.check(url, field="url")

    # then
    assert raised.value.code == "forbidden_url"
    assert raised.value.errors == {"url": ["Internal addresses are not allowed."]}


@override_settings(FLOWLINE_BLOCK_PRIVATE_URLS=True)
@pytest.mark.parametrize(
    "url", ["https://8.8.8.8/hook", "http://[2606:4700:4700::1111]/", "http://[::ffff:8.8.8.8]/"]
)
def test_public_addresses_pass_and_are_returned_for_pinning(url):
    # when
    addresses = urlguard.public_addresses(url, field="url")

    # then
    assert len(addresses) == 1


@override_settings(FLOWLINE_BLOCK_PRIVATE_URLS=False)
def test_internal_addresses_pass_when_blocking_is_off():
    # when / then: local development talks to services on the same machine
    urlguard.check("http://127.0.0.1:8000/hook", field="url")


@pytest.mark.parametrize(
    "url", ["ftp://example.com/", "file:///etc/passwd", "http://", "not a url", "http://h:port/"]
)
def test_what_is_not_an_http_url_is_refused_whatever_the_setting(url):
    # when / then
    with pytest.raises(ApplicationError) as raised:
        urlguard.check(url, field="url")
    assert raised.value.errors == {"url": ["Enter an http(s) URL."]}


@override_settings(FLOWLINE_BLOCK_PRIVATE_URLS=True)
def test_a_host_that_does_not_resolve_is_refused():
    # when / then: .invalid never resolves (RFC 6761)
    with pytest.raises(ApplicationError) as raised:
        urlguard.check("https://hooks.flowline.invalid/", field="url")
    assert raised.value.errors == {"url": ["Unknown host."]}
