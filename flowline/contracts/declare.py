"""What a seed's contract table says: where its frontend's base points, and per documented
endpoint which Flowline path serves it and which shape adapters apply."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_KWARG = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    """One documented endpoint: `method path` (relative to the seed's base, Django `path()`
    syntax, trailing slash exactly as the seed writes it) served by the Flowline view at
    `target` (a path under /api/v1/ with the same `<kwarg>` names)."""

    method: str
    path: str
    target: str
    adapters: tuple = ()

    @property
    def kwargs(self) -> list[str]:
        return _KWARG.findall(self.path)


@dataclass(frozen=True)
class Contract:
    """A seed's frontend pointed at Flowline: `prefix` is the URL path its base URL ends
    in (below the host), `routes` its documented endpoints that need an alias or an adapter."""

    name: str  # "Elinara" (used in view class names)
    seed: str  # "004"
    prefix: str  # "api/elinara/"
    routes: tuple[Route, ...]
    tag: str = field(default="")
    # How the seed's frontend reads an error, for every path of the contract (an adapter
    # with `error`/`schema_error`); None keeps Flowline's error envelope.
    errors: object = None

    @property
    def schema_tag(self) -> str:
        return self.tag or f"seed {self.seed} {self.name}"


def route(method: str, path: str, target: str, *adapters) -> Route:
    """A table row: `route("POST", "auth/login", "/api/v1/auth/login/", Rename(...))`."""
    return Route(method=method.upper(), path=path, target=target, adapters=tuple(adapters))


def schema_path(prefix: str, path: str) -> str:
    """The path as OpenAPI (and drf-spectacular) writes it: `/api/x/<int:pk>/` -> `/api/x/{id}/`
    (spectacular names a `pk` after the model's primary key, `id` throughout Flowline)."""
    return "/" + _KWARG.sub(r"{\1}", prefix + path).replace("{pk}", "{id}")
