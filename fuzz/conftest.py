"""Data the schema fuzzer works on: one account owner and a row for every tenant-owned
endpoint, created once per session and seen by each operation's test inside its own
transaction (so what one operation changes, the next does not see)."""

import ipaddress
import socket
from dataclasses import dataclass

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from config.api_router import router
from flowline.core.tenancy import is_tenant_model
from flowline.core.testing import members
from flowline.core.testing.factories import factory_for
from flowline.identity import tokens


@dataclass
class FuzzOwner:
    member: members.Member
    headers: dict


@pytest.fixture(scope="session")
def _fuzz_seed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        member = members.new_owner(email="fuzz-owner@example.com")
        for _prefix, viewset, basename in router.registry:
            model = getattr(viewset, "model", None)
            if model is None or not is_tenant_model(model):
                continue
            factory = factory_for(basename, model)
            if factory is not None:
                factory(account=member.account)
        return member


@pytest.fixture
def fuzz_owner(_fuzz_seed, db) -> FuzzOwner:
    pair = tokens.issue_pair(user=_fuzz_seed.user, account_id=_fuzz_seed.account_id)
    return FuzzOwner(_fuzz_seed, {"Authorization": f"Bearer {pair['access']}"})


@pytest.fixture(autouse=True)
def _throttles_raised(settings):
    """Every throttle scope (whatever scopes exist) far above what a run sends: the fuzzer
    tests answers, not rate limits (those have their own tests)."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {scope: "1000000/min" for scope in rates},
    }


@pytest.fixture(scope="session", autouse=True)
def _connections_kept_across_requests():
    """Requests are served in-process inside the test's transaction: like Django's test
    client, keep the request signals from closing the database connection under it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="session", autouse=True)
def _no_network_beyond_this_machine():
    """Generated URLs (`https://0.com`, a webhook, a WordPress site) and providers' real
    hosts are never reached: name lookups and addresses other than loopback fail as an
    unreachable host does, so the views answer as they would to one."""
    real = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host or "")
        if name != "localhost":
            try:
                if not ipaddress.ip_address(name.strip("[]")).is_loopback:
                    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            except ValueError:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
        return real(host, *args, **kwargs)

    socket.getaddrinfo = local_only
    yield
    socket.getaddrinfo = real
