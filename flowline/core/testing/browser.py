"""Browser tests: real Chromium (Debian's package) driven by Playwright against a live server.

Playwright cannot download its own browsers here, so it launches the Chromium binary the
`chromium` package installs (`/usr/lib/chromium/chromium`, not the `/usr/bin/chromium`
shell wrapper), or `FLOWLINE_CHROMIUM`. Without one, browser tests are skipped and the
run says so at the end. Screenshots go to `FLOWLINE_SCREENSHOT_DIR` (`var/screenshots`).

Use: mark a module `pytestmark = pytest.mark.browser` and take the `console` fixture: a
live Flowline (Django, Socket.IO, embedded worker) and a fresh browser page for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/lib/chromium-browser/chromium-browser")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    # This machine has no internet: without these Chromium keeps calling home.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
]
_skipped: list[str] = []


def chromium_path() -> str | None:
    configured = os.environ.get("FLOWLINE_CHROMIUM")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for candidate in CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def screenshot_dir() -> Path:
    from django.conf import settings

    path = Path(os.environ.get("FLOWLINE_SCREENSHOT_DIR", settings.VAR_DIR / "screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Console:
    """A live server and a page on it. `shot(name)` saves a full-page screenshot."""

    url: str
    page: object

    def go(self, path: str):
        return self.page.goto(self.url + path)

    def sign_in(self, member) -> None:
        """Give the browser the member's session cookies, as logging in would (tests of
        other journeys need not type a password each time)."""
        from django.conf import settings

        from flowline.core.csrf import new_token
        from flowline.identity import tokens

        pair = tokens.issue_pair(user=member.user, account_id=member.account_id)
        cookies = {
            settings.AUTH_COOKIE_ACCESS: (pair["access"], "/"),
            settings.AUTH_COOKIE_REFRESH: (pair["refresh"], settings.AUTH_COOKIE_REFRESH_PATH),
            settings.AUTH_COOKIE_CSRF: (new_token(), "/"),
        }
        self.page.context.add_cookies(
            [
                {
                    "name": name,
                    "value": value,
                    "url": self.url + path,
                    "httpOnly": name != settings.AUTH_COOKIE_CSRF,
                    "sameSite": "Strict",
                }
                for name, (value, path) in cookies.items()
            ]
        )

    def shot(self, name: str, *, full_page: bool = True) -> Path:
        path = screenshot_dir() / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives the console in real Chromium (skipped without one)"
    )


def pytest_collection_modifyitems(config, items):
    if chromium_path() is not None:
        return
    reason = "no Chromium: install Debian's chromium package (or set FLOWLINE_CHROMIUM)"
    marked = [item for item in items if item.get_closest_marker("browser")]
    for item in marked:
        item.add_marker(pytest.mark.skip(reason=reason))
    if marked:
        _skipped.append(f"{len(marked)} browser tests skipped: {reason}")


def pytest_terminal_summary(terminalreporter):
    for line in _skipped:
        terminalreporter.write_line(line, yellow=True, bold=True)


@pytest.fixture
def chromium(monkeypatch):
    """Chromium for one test. Playwright's sync API runs an event loop in this thread,
    which makes Django refuse database calls from the test for as long as it runs; the
    browser is therefore started per test and the check lifted only meanwhile."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_console(transactional_db, settings):
    """The base URL of a live Flowline serving the test database; the links it e-mails
    and redirects to point at it."""
    from flowline.realtime.testing import live_asgi_server

    with live_asgi_server() as url:
        settings.FRONTEND_URL = url
        yield url


@pytest.fixture
def console(chromium, live_console, request):
    """A fresh browser context (no cookies) on a live server; a failing test leaves a
    screenshot named after it."""
    context = chromium.new_context(
        base_url=live_console, viewport={"width": 1366, "height": 900}, locale="en-US"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    session = Console(url=live_console, page=page)
    yield session
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        session.shot(f"FAILED-{request.node.name}")
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report
