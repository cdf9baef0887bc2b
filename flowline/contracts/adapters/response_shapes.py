"""Adapters that reshape a successful response's envelope (lift, nest, strip it, or
redirect), and `RawError`, the one that reshapes errors; each says so in the schema."""

from __future__ import annotations

import copy

from flowline.contracts.adapters.base import Adapter, deep
from flowline.contracts.adapters.request_shapes import Query

_NO_DATA = {"nullable": True}


def _envelope_data_schema(schema: dict, resolve) -> dict | None:
    """The `data` schema of a success envelope (inline or referenced)."""
    schema = resolve(schema)
    return schema.get("properties", {}).get("data") if isinstance(schema, dict) else None


def _json_2xx(responses: dict):
    for status, response in responses.items():
        if not str(status).startswith("2"):
            continue
        media = response.get("content", {}).get("application/json")
        if media and "schema" in media:
            yield media


class Lift(Adapter):
    """The seed reads the payload at the top level, beside `success`: IGNY8's login answers
    `{"success", "message", "user", "tokens"}`. `data` stays for Flowline's own clients,
    so one answer serves both. `Lift("tokens")` also lifts `data.tokens`' keys
    (SellFlow reads `access` and `refresh` at the top)."""

    def __init__(self, *nested: str):
        self.nested = nested

    def response(self, body, response):
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            return body
        lifted = dict(body)
        for key, value in data.items():
            if key not in ("success", "data", "message"):
                lifted[key] = value
        for key in self.nested:
            if isinstance(data.get(key), dict):
                lifted.update(data[key])
        return lifted

    def schema_response(self, responses, resolve):
        for media in _json_2xx(responses):
            envelope = resolve(media["schema"])
            data = _envelope_data_schema(envelope, resolve)
            if not data or data == _NO_DATA:
                continue
            merged = copy.deepcopy(envelope)
            _merge_object(merged, resolve(data))
            for key in self.nested:
                nested = resolve(data).get("properties", {}).get(key)
                if nested:
                    _merge_object(merged, resolve(nested))
            media["schema"] = merged
        return responses


def _merge_object(envelope: dict, payload: dict) -> None:
    """Adds `payload`'s properties (and required ones) beside the envelope's own."""
    properties = envelope.setdefault("properties", {})
    required = envelope.setdefault("required", [])
    for name, schema in payload.get("properties", {}).items():
        if name not in ("success", "data", "message"):
            properties[name] = schema
            if name in payload.get("required", []) and name not in required:
                required.append(name)
    if payload.get("additionalProperties") not in (None, False):
        envelope["additionalProperties"] = True


class Nest(Adapter):
    """The seed reads the payload under its own key: IGNY8's `me` is `{"success", "user"}`.
    `data` stays too."""

    def __init__(self, key: str):
        self.key = key

    def response(self, body, response):
        if isinstance(body, dict) and "data" in body:
            return {**body, self.key: body["data"]}
        return body

    def schema_response(self, responses, resolve):
        for media in _json_2xx(responses):
            data = _envelope_data_schema(media["schema"], resolve)
            if data:
                media["schema"] = {
                    "allOf": [
                        media["schema"],
                        {"type": "object", "required": [self.key], "properties": {self.key: data}},
                    ]
                }
        return responses


_MESSAGE_ONLY = {
    "type": "object",
    "properties": {"message": {"type": "string", "nullable": True}},
}


class Bare(Adapter):
    """The seed reads raw objects (Elinara): the payload alone, a list as a JSON array (the
    whole list, as its Flask backend sends it), and `{"message"}` where there is no payload
    (a delete)."""

    view_attrs = {"pagination_class": None}

    def response(self, body, response):
        if not isinstance(body, dict) or body.get("success") is not True:
            return body
        if "results" in body and "data" not in body:
            return body["results"]
        data = body.get("data")
        return {"message": body.get("message")} if data is None else data

    def schema_response(self, responses, resolve):
        for media in _json_2xx(responses):
            schema = resolve(media["schema"])
            properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
            if "results" in properties and "data" not in properties:
                media["schema"] = properties["results"]
            elif "data" in properties:
                data = properties["data"]
                media["schema"] = _MESSAGE_ONLY if data == _NO_DATA else data
        return responses


class Redirect(Query):
    """The seed's link navigates the browser (OAuth sign-in): the view answers with its 302
    to the provider (`redirect=true`) instead of the JSON with the URL."""

    def __init__(self, **values: str):
        super().__init__(redirect="true", **values)

    def schema_response(self, responses, resolve):
        for status in [s for s in responses if str(s).startswith("2")]:
            del responses[status]
        responses.setdefault(
            "302",
            {
                "description": "To the provider's sign-in page (Location header)",
                "headers": {"Location": {"schema": {"type": "string"}}},
            },
        )
        return responses


_RAW_ERROR = {
    "type": "object",
    "required": ["message", "errors", "code"],
    "properties": {
        "message": {"type": "string", "example": "email: This field is required."},
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "example": {"email": ["This field is required."]},
        },
        "code": {"type": "string", "example": "validation_error"},
        "request_id": {"type": "string", "nullable": True},
    },
    "additionalProperties": True,
}


class RawError(Adapter):
    """Errors as a raw object with the text in `message`, as a Flask backend answers them
    and as Elinara's frontend reads every answer (a delete is `{"message"}`): Flowline's
    error envelope without `success`, its `error` text under `message`; `errors`, `code`,
    `request_id` and any details (`retry_after`, `limit`, ...) stay."""

    def error(self, body):
        if not isinstance(body, dict) or body.get("success") is not False:
            return body
        raw = {k: v for k, v in body.items() if k not in ("success", "error")}
        return {"message": body.get("error"), **raw}

    def schema_error(self, responses: dict) -> dict:
        for status, response in responses.items():
            if str(status)[0] in "45" and "application/json" in response.get("content", {}):
                response["content"]["application/json"] = {"schema": deep(_RAW_ERROR)}
        return responses
