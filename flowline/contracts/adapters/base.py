"""What every shape adapter is: the hooks a contract row's adapters may fill."""

from __future__ import annotations

import copy
from typing import Any


class Adapter:
    """Hooks, all optional: `path` moves URL kwargs, `request` rewrites the body or query,
    `response` reshapes a 2xx body, `schema_*` describe the same in OpenAPI."""

    view_attrs: dict = {}

    def path(self, kwargs: dict, moved: dict) -> None:
        """Take what belongs in the body out of the view's URL kwargs (into `moved`)."""

    def request(self, request, moved: dict) -> None:
        """Rewrite the DRF request's body or query before the view reads it."""

    def response(self, body: Any, response) -> Any:
        """The body to send instead; may return a Django response to send that instead."""
        return body

    def schema_request(self, schema: dict) -> dict:
        return schema

    def schema_response(self, responses: dict, resolve) -> dict:
        return responses


def deep(schema: dict) -> dict:
    """A copy of a schema fragment to hand out (the constants here are shared)."""
    return copy.deepcopy(schema)
