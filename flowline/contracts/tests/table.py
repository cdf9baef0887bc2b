"""Contract tests driven by a table of a seed's documented endpoints, one row per line of
the seed document: method, path (after the seed's base, trailing slash as written), the
example body, the documented keys and where the seed reads them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass(frozen=True)
class Row:
    """`path` may name `{things}` the test's world made (`/admin/processes/{process}`);
    `body` may be a callable of that world. `at` says where the keys are: "top" (the
    body), "item" (the first element of a list answer), "results" (first element of
    a list envelope's results), "data" (inside Flowline's envelope)."""

    method: str
    path: str
    body: Any = None
    keys: tuple[str, ...] = ()
    status: int = 200
    at: str = "top"
    query: dict = field(default_factory=dict)
    fmt: str = "json"
    xfail: str | None = None
    bare: bool = False  # the seed reads raw objects: no envelope keys at the top
    who: str = "owner"  # whose session calls it, where a test offers several
    headers: Callable[[dict], dict] | None = None  # extra headers, from the world
    given: Callable[[dict], None] | None = None  # a state the row needs, made from the world

    def url(self, base: str, world: dict) -> str:
        return base + self.path.format(**world)

    def payload(self, world: dict):
        return self.body(world) if callable(self.body) else self.body


def params(rows: list[Row]) -> list:
    """pytest params, ids "METHOD path"; rows another helper builds fail strictly until then."""
    return [
        pytest.param(
            row,
            id=f"{row.method} {row.path}",
            marks=[pytest.mark.xfail(strict=True, reason=row.xfail)] if row.xfail else [],
        )
        for row in rows
    ]


def call(client, row: Row, base: str, world: dict, **headers):
    """Calls the row's endpoint the way the seed's frontend does."""
    method = getattr(client, row.method.lower())
    url = row.url(base, world)
    if row.query:
        from urllib.parse import urlencode

        url += "?" + urlencode({k: v.format(**world) for k, v in row.query.items()})
    if row.given:
        row.given(world)
    body = row.payload(world)
    headers = {**headers, **(row.headers(world) if row.headers else {})}
    if body is None:
        return method(url, **headers)
    if isinstance(body, bytes):  # sent as is (a signed body, say)
        return method(url, body, content_type="application/json", **headers)
    return method(url, body, format=row.fmt, **headers)


def place(row: Row, body: Any):
    """Where the row's documented keys must be."""
    if row.at == "top":
        return body
    if row.at == "data":
        return body["data"]
    if row.at == "item":
        assert isinstance(body, list) and body, f"expected a non-empty JSON array, got {body!r}"
        return body[0]
    if row.at == "results":
        assert body["results"], "expected at least one result"
        return body["results"][0]
    raise ValueError(row.at)


def check(response, row: Row) -> None:
    """The documented status, no redirect, and the documented keys at the documented place."""
    assert response.status_code == row.status, (
        f"{row.method} {row.path}: {response.status_code} {response.content[:400]!r}"
    )
    if not row.keys and not row.bare:
        return
    body = response.json()
    if row.bare and isinstance(body, dict):
        assert "success" not in body, f"{row.path} answered in the envelope: {list(body)}"
    if row.keys:
        target = place(row, body)
        missing = [key for key in row.keys if key not in target]
        assert not missing, f"{row.path}: {missing} not in {sorted(target)}"


World = Callable[..., dict]
