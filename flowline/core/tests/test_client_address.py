"""The client address behind lockouts and throttles: X-Forwarded-For only from trusted
proxies, the right-most untrusted hop, an IPv6 client by its /64."""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from flowline.core.client_address import client_address, counted_address, resolve

API = "/api/v1"
PROXIES = ["10.0.0.0/8", "192.0.2.10"]


def _rates(**rates):
    framework = {**settings.REST_FRAMEWORK}
    framework["DEFAULT_THROTTLE_RATES"] = {**framework["DEFAULT_THROTTLE_RATES"], **rates}
    return override_settings(REST_FRAMEWORK=framework)


def test_forwarded_for_from_an_untrusted_peer_is_ignored():
    assert resolve("198.51.100.7", "203.0.113.5") == "198.51.100.7"


def test_no_proxy_is_trusted_by_default():
    assert settings.FLOWLINE_TRUSTED_PROXIES == []
    assert resolve("10.0.0.1", "203.0.113.5") == "10.0.0.1"


@override_settings(FLOWLINE_TRUSTED_PROXIES=PROXIES)
def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client():
    # the client wrote "1.2.3.4"; the proxies appended the rest
    assert resolve("10.0.0.1", "1.2.3.4, 203.0.113.5") == "203.0.113.5"
    assert resolve("10.0.0.1", "1.2.3.4, 203.0.113.5, 192.0.2.10") == "203.0.113.5"
    assert resolve("10.0.0.1", "203.0.113.5:4711") == "203.0.113.5"
    assert resolve("10.0.0.1", "[2001:db8::7]:443") == "2001:db8::7"


@override_settings(FLOWLINE_TRUSTED_PROXIES=PROXIES)
def test_garbage_in_the_chain_stops_at_the_last_trusted_hop():
    assert resolve("10.0.0.1", "203.0.113.5, not-an-address") == "10.0.0.1"
    assert resolve("10.0.0.1", "203.0.113.5, not-an-address, 10.0.0.2") == "10.0.0.2"


@override_settings(FLOWLINE_TRUSTED_PROXIES=["10.0.0.0/8", "next door"])
def test_a_misconfigured_proxy_list_fails_loudly():
    with pytest.raises(ImproperlyConfigured):
        resolve("10.0.0.1", "203.0.113.5")


def test_an_ipv6_client_is_counted_by_its_64():
    one = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    other = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:bbbb::9")

    assert client_address(one) == "2001:db8:1:2:aaaa::1"
    assert counted_address(one) == counted_address(other) == "2001:db8:1:2::"


def test_an_ipv4_mapped_peer_is_its_ipv4_address():
    request = RequestFactory().get("/", REMOTE_ADDR="::ffff:198.51.100.7")

    assert client_address(request) == counted_address(request) == "198.51.100.7"


@pytest.mark.django_db
@_rates(login="3/min")
def test_a_new_forwarded_for_each_time_does_not_escape_the_login_throttle(api_client):
    # when: every request claims another address
    statuses = [
        api_client.post(
            f"{API}/auth/password-reset/",
            {"email": f"someone{i}@example.com"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        ).status_code
        for i in range(4)
    ]

    # then
    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
@_rates(anon="2/min")
def test_a_new_forwarded_for_each_time_does_not_escape_the_anon_throttle(api_client):
    statuses = [
        api_client.get(f"{API}/auth/plans/", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(3)
    ]

    assert statuses == [200, 200, 429]


@pytest.mark.django_db
@override_settings(FLOWLINE_TRUSTED_PROXIES=PROXIES)
@_rates(anon="2/min")
def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget(api_client):
    # given: one client used its budget through the proxy
    for _ in range(2):
        api_client.get(
            f"{API}/auth/plans/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5"
        )

    # when
    same = api_client.get(
        f"{API}/auth/plans/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5"
    )
    spoofed_left = api_client.get(
        f"{API}/auth/plans/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5"
    )
    another = api_client.get(
        f"{API}/auth/plans/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6"
    )

    # then
    assert same.status_code == 429
    assert spoofed_left.status_code == 429
    assert another.status_code == 200


@pytest.mark.django_db
@_rates(login_identity="3/min")
def test_one_accounts_login_budget_is_shared_by_every_address(owner, api_client):
    # given: three attempts at one account, each from another address
    for i in range(3):
        api_client.post(
            f"{API}/auth/login/",
            {"email": owner.user.email.upper(), "password": "wrong"},
            format="json",
            REMOTE_ADDR=f"198.51.100.{i}",
        )

    # when
    same_account = api_client.post(
        f"{API}/auth/login/",
        {"email": owner.user.email, "password": owner.password},
        format="json",
        REMOTE_ADDR="198.51.100.200",
    )
    other_account = api_client.post(
        f"{API}/auth/password-reset/", {"email": "someone@example.com"}, format="json"
    )

    # then
    assert same_account.status_code == 429
    assert same_account.json()["code"] == "throttled"
    assert other_account.status_code == 200
