"""Shape adapters a contract row may name. Each one changes a request before the view sees
it or a successful response after the view built it, and says what it does to the
operation's OpenAPI schema, so the schema shows what the seed's path really accepts and
answers. Errors keep Flowline's error envelope, unless a contract names how its frontend
reads them (`Contract.errors`, an adapter with `error` and `schema_error`: Elinara's
`RawError`); IGNY8 documents the envelope itself.

Responses arrive here as the envelope `{"success", "data", "message"}` (or the list
envelope `{"success", "count", "next", "previous", "results"}`).
"""

from __future__ import annotations

import copy
from typing import Any

from django.http import QueryDict
from rest_framework.exceptions import ValidationError

_NO_DATA = {"nullable": True}


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


# --- requests -------------------------------------------------------------------------


def _mutable_body(request):
    """A copy of the parsed body to rewrite, or None when it is not an object (a list)."""
    data = request.data
    if isinstance(data, QueryDict):
        return data.copy()
    if isinstance(data, dict):
        return dict(data)
    return None


def _set_body(request, data) -> None:
    request._full_data = data  # DRF keeps the parsed body here; the view reads it from there


def _request_properties(schema: dict) -> tuple[dict, list]:
    return schema.setdefault("properties", {}), schema.setdefault("required", [])


class Rename(Adapter):
    """The seed names a body field differently: `Rename(username="email")`. The seed's name
    wins when both are sent (it is the one the frontend fills in)."""

    def __init__(self, **names: str):
        self.names = names

    def request(self, request, moved):
        data = _mutable_body(request)
        if data is None or not any(seed in data for seed in self.names):
            return
        for seed, ours in self.names.items():
            if seed in data:
                data[ours] = data.pop(seed)
        _set_body(request, data)

    def schema_request(self, schema):
        properties, required = _request_properties(schema)
        for seed, ours in self.names.items():
            if ours in properties:
                properties[seed] = properties.pop(ours)
            if ours in required:
                required[required.index(ours)] = seed
        return schema


class CopyField(Adapter):
    """A field the seed does not send is a copy of one it does: `CopyField(password=
    "password_confirm")` (the seed's form has no confirmation box)."""

    def __init__(self, **copies: str):
        self.copies = copies

    def request(self, request, moved):
        data = _mutable_body(request)
        if data is None:
            return
        changed = False
        for source, target in self.copies.items():
            if source in data and target not in data:
                data[target] = data[source]
                changed = True
        if changed:
            _set_body(request, data)

    def schema_request(self, schema):
        _properties, required = _request_properties(schema)
        for target in self.copies.values():
            if target in required:
                required.remove(target)
        return schema


class Confirmed(Adapter):
    """A password typed twice where Flowline takes it once: `Confirmed("new_password1",
    "new_password2", into="new_password")`; the two must match."""

    def __init__(self, first: str, second: str, *, into: str):
        self.first, self.second, self.into = first, second, into

    def request(self, request, moved):
        data = _mutable_body(request)
        if data is None or self.first not in data:
            return
        value = data.pop(self.first)
        if self.second in data and data.pop(self.second) != value:
            raise ValidationError({self.second: ["The two passwords do not match."]})
        data[self.into] = value
        _set_body(request, data)

    def schema_request(self, schema):
        properties, required = _request_properties(schema)
        if self.into in properties:
            field = properties.pop(self.into)
            properties[self.first] = field
            properties[self.second] = field
        if self.into in required:
            required[required.index(self.into)] = self.first
        return schema


class Defaults(Adapter):
    """Body fields the seed never sends but its flow implies: `Defaults(cookie=True)` for a
    frontend that keeps its tokens in HttpOnly cookies."""

    def __init__(self, **values):
        self.values = values

    def request(self, request, moved):
        data = _mutable_body(request)
        if data is None:
            return
        for name, value in self.values.items():
            data.setdefault(name, value)
        _set_body(request, data)


class PathToBody(Adapter):
    """The seed puts in the URL what Flowline reads from the body:
    `PathToBody(uidb64="uid", token="token")` for `reset/confirm/<uidb64>/<token>/`."""

    def __init__(self, **fields: str):
        self.fields = fields

    def path(self, kwargs, moved):
        for kwarg, body_field in self.fields.items():
            if kwarg in kwargs:
                moved[body_field] = kwargs.pop(kwarg)

    def request(self, request, moved):
        data = _mutable_body(request)
        if data is None:
            return
        for body_field in self.fields.values():
            if body_field in moved:
                data[body_field] = moved[body_field]
        _set_body(request, data)

    def schema_request(self, schema):
        properties, required = _request_properties(schema)
        for body_field in self.fields.values():
            properties.pop(body_field, None)
            if body_field in required:
                required.remove(body_field)
        return schema


class Username(Adapter):
    """Elinara signs in and registers by `username`. Flowline accounts have no name apart
    from their email address, so an Elinara username *is* the email address (any case):
    `username` fills `email` when `email` is not sent, and is dropped."""

    def request(self, request, moved):
        data = _mutable_body(request)
        if data is None or "username" not in data:
            return
        username = data.pop("username")
        data.setdefault("email", username)
        _set_body(request, data)

    def schema_request(self, schema):
        properties, required = _request_properties(schema)
        if "email" in properties:
            properties["username"] = {
                **properties["email"],
                "description": "The account's email address (Elinara's username).",
            }
            properties["email"] = {**properties["email"], "description": "Or send it as email."}
        if "email" in required:
            required[required.index("email")] = "username"
        return schema


class PathValues(Adapter):
    """URL kwargs the seed's path fixes: `PathValues(platform="github")` for
    `auth2/github/signin`, served by `social/auth/<platform>/init/`."""

    def __init__(self, **values: str):
        self.values = values

    def path(self, kwargs, moved):
        kwargs.update(self.values)


class Query(Adapter):
    """Query parameters the seed's link never carries: `Query(redirect="true")`."""

    def __init__(self, **values: str):
        self.values = values

    def request(self, request, moved):
        query = request._request.GET.copy()
        for name, value in self.values.items():
            query.setdefault(name, value)
        request._request.GET = query


# --- responses ------------------------------------------------------------------------


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


def deep(schema: dict) -> dict:
    return copy.deepcopy(schema)
