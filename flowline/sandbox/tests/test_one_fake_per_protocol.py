"""One fake per protocol: the tests' helpers (every `testing` package or module) start the
sandbox's providers, built on `flowline.sandbox.server.FakeServer`; none serves HTTP with
a server of its own, which would be a second fake of some service, kept honest by nobody."""

from pathlib import Path

from django.conf import settings

# Not fakes of an outside service: the scripted answers the outbound guard's tests need
# (redirects to internal addresses, slow or oversized bodies).
ALLOWED = {"flowline/core/testing/outbound.py"}
OWN_SERVERS = ("HTTPServer", "BaseHTTPRequestHandler", "socketserver", "aiohttp.web")


def _testing_modules() -> list[Path]:
    root = Path(settings.BASE_DIR)
    found = list(root.glob("flowline/*/testing.py")) + list(root.glob("flowline/*/testing/*.py"))
    return sorted(path.relative_to(root) for path in found)


def test_no_testing_helper_serves_a_fake_of_its_own():
    # given
    modules = _testing_modules()
    assert modules, "no testing modules found"

    # then
    offenders = [
        str(path)
        for path in modules
        if str(path) not in ALLOWED
        and any(word in (settings.BASE_DIR / path).read_text() for word in OWN_SERVERS)
    ]
    assert offenders == []
