"""Django served from ASGI by PooledASGIHandler: one hop into a fixed pool of threads per
request, with Django's own request and response handling."""

from pathlib import Path

import httpx
import pytest
from django.conf import settings

from flowline.core.asgi import PooledASGIHandler
from flowline.realtime.testing import live_asgi_server
from flowline.sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _bearer(member) -> dict:
    return {"Authorization": member.client._credentials["HTTP_AUTHORIZATION"]}


def test_config_asgi_serves_django_through_the_pool():
    from config.asgi import django_application

    assert isinstance(django_application, PooledASGIHandler)


def test_reads_bodies_and_answers_each_account_with_its_own_rows(owner, other_owner):
    with live_asgi_server() as base_url:
        created = httpx.post(
            f"{base_url}/api/v1/auth/sites/", json={"name": "Pooled"}, headers=_bearer(owner)
        )
        SiteFactory(account=other_owner.account, name="Theirs")
        # Several requests, so the same pool threads serve both accounts in turn.
        answers = [
            httpx.get(f"{base_url}/api/v1/auth/sites/", headers=_bearer(member))
            for member in (owner, other_owner) * 4
        ]

    assert created.status_code == 201, created.text
    assert created.headers["X-Request-ID"]
    names = [[row["name"] for row in r.json()["results"]] for r in answers]
    assert names == [["Pooled"], ["Theirs"]] * 4


def test_errors_stay_in_the_envelope_and_files_stream(owner):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    stored = media / "pooled-handler-test.png"  # public media serves images only
    stored.write_bytes(b"x" * 200_000)
    try:
        with live_asgi_server() as base_url:
            missing = httpx.get(f"{base_url}/api/v1/auth/sites/999999/", headers=_bearer(owner))
            anonymous = httpx.get(f"{base_url}/api/v1/auth/me/")
            served = httpx.get(f"{base_url}/{settings.MEDIA_URL.strip('/')}/{stored.name}")
    finally:
        stored.unlink()

    assert (missing.status_code, missing.json()["success"]) == (404, False)
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_authenticated")
    assert served.status_code == 200
    assert served.content == b"x" * 200_000


def _resolve(handler, path):
    from django.test import RequestFactory

    return handler.resolve_request(RequestFactory().get(path))


def test_resolved_paths_are_remembered_but_each_request_gets_its_own_match():
    # given
    from django.urls import Resolver404

    handler = PooledASGIHandler(threads=1)

    # when
    first = _resolve(handler, "/api/v1/auth/sites/7/")
    first.kwargs["pk"] = "tampered"
    again = _resolve(handler, "/api/v1/auth/sites/7/")
    other = _resolve(handler, "/api/v1/auth/sites/8/")

    # then
    assert again.kwargs == {"pk": "7"} and other.kwargs == {"pk": "8"}
    assert again.func is first.func and again.url_name == "site-detail"
    with pytest.raises(Resolver404):
        _resolve(handler, "/api/v1/no-such-route/")
    from django.urls import get_resolver

    assert "/api/v1/no-such-route/" not in get_resolver().__dict__["_flowline_matches"]


def test_a_changed_urlconf_is_resolved_afresh():
    # given a path resolved with the real routes
    from django.test import override_settings
    from django.urls import Resolver404

    handler = PooledASGIHandler(threads=1)
    with pytest.raises(Resolver404):
        _resolve(handler, "/api/v1/test/explode/")

    # when the URLconf changes, then the new routes are seen
    with override_settings(ROOT_URLCONF="flowline.core.tests.boom_urls"):
        match = _resolve(handler, "/api/v1/test/explode/")
        assert match.func.view_class.__name__ == "ExplodingApiView"


def test_a_server_process_freezes_its_loaded_heap_and_a_test_process_does_not():
    # given config.asgi loaded as a server loads it, in a process of its own
    import gc
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    env.pop("FLOWLINE_GC_FREEZE", None)
    script = "import gc, config.asgi; print(gc.get_freeze_count())"

    # when
    frozen = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    PooledASGIHandler(threads=1)

    # then: the server's modules are out of the collector's way; this test run's are not
    assert frozen.returncode == 0, frozen.stderr[-2000:]
    assert int(frozen.stdout.strip().splitlines()[-1]) > 10_000
    assert gc.get_freeze_count() == 0
