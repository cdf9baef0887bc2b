"""Adapters that reshape a request before the view reads it (its body, query or URL
kwargs), and say so in the operation's request schema."""

from __future__ import annotations

from django.http import QueryDict
from rest_framework.exceptions import ValidationError

from flowline.contracts.adapters.base import Adapter


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
