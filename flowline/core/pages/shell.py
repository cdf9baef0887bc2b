"""What the shell around every page shows: the member, the menu, the topbar widgets.

Core knows nothing of users or notifications; apps add to the shell through these hooks
(identity adds the member and their accounts, notifications the bell, jobs the panel).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings

from flowline.core import tenancy
from flowline.core.pages import auth, nav

THEMES = (
    ("light", "Light", "sun"),
    ("dark", "Dark", "moon-stars"),
    ("system", "System", "circle-half"),
)

_providers: list[Callable[[object], dict]] = []
_topbar: list[tuple[int, str]] = []
_user_links: list[dict] = []


def register_provider(provide: Callable[[object], dict]) -> None:
    """`provide(request) -> dict`, merged into the shell context of signed-in pages."""
    if provide not in _providers:
        _providers.append(provide)


def register_topbar(template: str, *, order: int = 100) -> None:
    """A template included in the top bar of every signed-in page (bell, jobs panel)."""
    if all(name != template for _, name in _topbar):
        _topbar.append((order, template))
        _topbar.sort()


def register_user_link(*, label: str, url: str, icon: str) -> None:
    if all(link["url"] != url for link in _user_links):
        _user_links.append({"label": label, "url": url, "icon": icon})


def shell_context(request, *, signed_in: bool) -> dict:
    context = {
        "csrf_token": auth.csrf_token_for(request),
        "sandbox": getattr(settings, "FLOWLINE_SANDBOX", False),
        "themes": THEMES,
        "theme": "system",
        "user": None,
    }
    if not signed_in:
        return context
    current = tenancy.require()
    match = getattr(request, "resolver_match", None)
    expires = getattr(request, "access_expires_at", None)
    context.update(
        access_expires_at=(
            datetime.fromtimestamp(expires, tz=UTC).isoformat() if expires else None
        ),
        role=current.role,
        menu=nav.menu(current.role, match.url_name if match else None),
        topbar=[name for _, name in _topbar],
        user_links=list(_user_links),
    )
    for provide in _providers:
        context.update(provide(request))
    return context
