"""docs/api-guide.md lists what the code does: every API-key scope module a view
declares, and every endpoint that accepts an Idempotency-Key."""

import re
from pathlib import Path

from django.conf import settings
from drf_spectacular.generators import EndpointEnumerator

from flowline.core.idempotency import idempotent

GUIDE = Path(settings.BASE_DIR) / "docs" / "api-guide.md"
_IDEMPOTENT = idempotent(lambda self, request: None).__code__


def _endpoints():
    for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints():
        actions = getattr(callback, "actions", None) or {}
        yield path, method, callback.cls, actions.get(method.lower(), method.lower())


def _section(title: str) -> str:
    text = GUIDE.read_text()
    start = text.index(title)
    end = text.find("\n## ", start + len(title))
    return text[start : end if end != -1 else None]


def test_every_api_key_scope_module_is_documented():
    scopes = {cls.api_scope for _, _, cls, _ in _endpoints() if getattr(cls, "api_scope", None)}
    keys = _section("### API keys")
    modules = set(re.findall(r"`([a-z_]+)`", keys[keys.index("Modules are") :].split("\n-")[0]))

    assert scopes - modules == set()


def test_every_endpoint_that_takes_an_idempotency_key_is_documented():
    paths = {
        path.removeprefix("/api/v1/").replace("{pk}", "{id}")
        for path, _, cls, name in _endpoints()
        if getattr(getattr(cls, name, None), "__code__", None) is _IDEMPOTENT
    }
    section = _section("## Idempotency-Key")

    assert paths and {path for path in paths if f"`{path}`" not in section} == set()
