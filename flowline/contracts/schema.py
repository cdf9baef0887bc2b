"""drf-spectacular hooks: the schema lists every seed path once, as it answers.

`preprocess` leaves out the slash twins (`build` mounts `auth/login` and `auth/login/`;
the seed documents one). `postprocess` tags each seed operation with its seed and lets the
row's adapters rewrite the request body and 2xx bodies they change (and the contract's
error adapter its error bodies), so the schema (and
`make fuzz`, which checks answers against it) sees the shapes the seed sees.
"""

from __future__ import annotations

import copy
import re

from flowline.contracts.build import REGISTRY, VARIANT_ATTR

_PARAM = re.compile(r"{(\w+)}")


def preprocess(endpoints):
    return [e for e in endpoints if not getattr(e[3], VARIANT_ATTR, False)]


def postprocess(result, generator, request, public):
    components = result.get("components", {}).get("schemas", {})

    def resolve(schema):
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 10:
            schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
            seen += 1
        return schema

    for (path, method), (contract, route) in REGISTRY.items():
        operation = result.get("paths", {}).get(path, {}).get(method.lower())
        if operation is None:
            continue
        # A new list: spectacular shares one tags list between a view's operations.
        others = [t for t in operation.get("tags", []) if t not in ("api", contract.schema_tag)]
        operation["tags"] = [contract.schema_tag, *others]
        in_path = set(_PARAM.findall(path))
        if "parameters" in operation:
            operation["parameters"] = [
                p for p in operation["parameters"] if p.get("in") != "path" or p["name"] in in_path
            ]
        for media in operation.get("requestBody", {}).get("content", {}).values():
            if "schema" in media:
                schema = copy.deepcopy(resolve(media["schema"]))
                for adapter in route.adapters:
                    schema = adapter.schema_request(schema)
                if not schema.get("required", True):
                    del schema["required"]  # OpenAPI wants it absent rather than empty
                media["schema"] = schema
        responses = operation.get("responses", {})
        for adapter in route.adapters:
            responses = adapter.schema_response(responses, resolve)
        if contract.errors is not None:
            responses = contract.errors.schema_error(responses)
        operation["responses"] = responses
    return result
