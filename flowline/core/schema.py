"""OpenAPI: describe the envelope around every response, as the renderer sends it."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import generators
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from flowline.core.tenancy import dangerously_bypass_tenancy

ERROR_COMPONENT = "ErrorEnvelope"
_ERROR_SCHEMA = {
    "type": "object",
    "required": ["success", "error", "errors", "code", "request_id"],
    "properties": {
        "success": {"type": "boolean", "example": False},
        "error": {"type": "string", "example": "email: This field is required."},
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "example": {"email": ["This field is required."]},
        },
        "code": {"type": "string", "example": "validation_error"},
        "request_id": {"type": "string", "example": "3f2a9c1e0b7d4e5f8a6b7c8d9e0f1a2b"},
    },
}
# Errors any operation may answer (the exception handler's statuses); those of `_WRITES`
# only for methods that change something, those of `_BODIES` only when a body is sent.
_ERROR_CODES = {
    "400": "Invalid input",
    "401": "Not authenticated or token not valid",
    "403": "Role or scope does not allow this",
    "404": "Not found in the active account",
    "429": "Throttled; see Retry-After",
    "502": "An outside service (AI provider, WordPress, a drive) failed",
    "503": "A service Flowline depends on is unavailable or not configured here",
}
_WRITES = {
    "402": "Not enough credits, or over a plan limit",
    "409": "Conflicts with the current state (or a reused Idempotency-Key)",
}
_BODIES = {
    "413": "Request body too large",
    "415": "Unsupported media type",
}


def _envelope(schema: dict | None) -> dict:
    return {
        "type": "object",
        "required": ["success", "data"],
        "properties": {
            "success": {"type": "boolean", "example": True},
            "data": schema or {"nullable": True},
            "message": {"type": "string", "nullable": True},
        },
    }


def _is_json(media_type: str) -> bool:
    """Only JSON bodies go through the envelope renderer (`application/json`, `...+json`)."""
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


class EnvelopeAutoSchema(AutoSchema):
    """Wraps 2xx JSON bodies in the success envelope and documents the error envelope;
    binary and text answers (files, CSV) are described as they are sent."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method == "DELETE" and "204" in responses:
            del responses["204"]
            responses["200"] = {
                "description": "Deleted",
                "content": {"application/json": {"schema": _envelope(None)}},
            }
        error_ref = self._error_component().ref
        # A public GET needs no credentials; a public write may refuse them (login,
        # refresh, webhooks' signatures).
        public = not self.view.get_authenticators() and self.method == "GET"
        codes = dict(_ERROR_CODES)
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes |= _WRITES
        if self.method in ("POST", "PUT", "PATCH"):
            codes |= _BODIES
        for code, description in sorted(codes.items()):
            if public and code == "401":
                continue  # no credentials asked for (403 remains: a webhook's handshake)
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": error_ref}},
                },
            )
        return responses

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        if not str(status_code).startswith("2"):
            return response
        for media_type, media in response.get("content", {}).items():
            if not _is_json(media_type):
                continue  # a file (PDF, image, CSV) is sent as it is, not in the envelope
            schema = media.get("schema")
            if isinstance(schema, dict) and self._is_paginated(schema):
                continue
            media["schema"] = _envelope(schema)
        return response

    def _get_paginator(self):
        # Only reads page; an action that answers a list to a POST sends it whole.
        return super()._get_paginator() if self.method == "GET" else None

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if not isinstance(schema, dict):
            return schema
        if schema.get("format") == "time":
            # JSON Schema's `time` needs an offset; DRF writes and reads "09:30[:00[.000]]".
            del schema["format"]
            schema["pattern"] = r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"
        if direction == "response" and isinstance(field, serializers.FileField):
            _replace_format(schema, "uri", "uri-reference")  # "/media/..." without a request
        elif (
            direction == "response"
            and schema.get("type") == "string"
            and schema.get("format")
            and _model_field_blank(field)
        ):
            # A stored "" (a blank URLField) is sent as it is: allow it, as spectacular
            # does for writable fields with allow_blank. Only strings: a blank integer
            # column (int64) is null or a number, never "".
            schema["oneOf"] = [{"type": "string", "format": schema.pop("format")}, _EMPTY]
            schema.pop("type", None)
        return schema

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and "nullable" not in meta and _source_may_be_null(field):
            meta["nullable"] = True
        return meta

    def _is_paginated(self, schema: dict) -> bool:
        ref = schema.get("$ref", "")
        return ref.split("/")[-1].startswith("Paginated") or "results" in schema.get(
            "properties", {}
        )

    def _error_component(self) -> ResolvedComponent:
        component = ResolvedComponent(
            name=ERROR_COMPONENT,
            type=ResolvedComponent.SCHEMA,
            schema=_ERROR_SCHEMA,
            object=ERROR_COMPONENT,
        )
        self.registry.register_on_missing(component)
        return component


_EMPTY = {"type": "string", "maxLength": 0}


def _replace_format(schema, old: str, new: str) -> None:
    if isinstance(schema, dict):
        if schema.get("format") == old:
            schema["format"] = new
        for value in schema.values():
            _replace_format(value, old, new)
    elif isinstance(schema, list):
        for value in schema:
            _replace_format(value, old, new)


def _source_model_fields(field):
    """The model fields a serializer field's `source` walks through, or [] if unknown."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or field.source == "*":
        return []
    hops = []
    for attr in field.source.split("."):
        if model is None:
            return []
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return []
        hops.append(model_field)
        model = model_field.related_model if model_field.is_relation else None
    return hops


def _source_may_be_null(field) -> bool:
    """Whether the value can be null although the field does not say so: its source goes
    through a nullable foreign key (`cluster.name` of a keyword with no cluster) or a
    reverse one-to-one that may not exist."""
    for model_field in _source_model_fields(field):
        if getattr(model_field, "null", False) or (
            model_field.one_to_one and not model_field.concrete
        ):
            return True
    return False


def _model_field_blank(field) -> bool:
    hops = _source_model_fields(field)
    return bool(hops) and getattr(hops[-1], "blank", False)


class SchemaGenerator(generators.SchemaGenerator):
    """Introspection builds querysets without a request: let scoped managers answer."""

    def get_schema(self, request=None, public=False):
        with dangerously_bypass_tenancy():
            return super().get_schema(request=request, public=public)
