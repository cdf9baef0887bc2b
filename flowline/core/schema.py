"""OpenAPI: describe the envelope around every response, as the renderer sends it."""

from __future__ import annotations

from drf_spectacular import generators
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

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
_ERROR_CODES = {
    "400": "Invalid input",
    "401": "Not authenticated or token not valid",
    "403": "Role or scope does not allow this",
    "404": "Not found in the active account",
    "429": "Throttled; see Retry-After",
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
        public = not self.view.get_authenticators()
        for code, description in _ERROR_CODES.items():
            if public and code in {"401", "403"}:
                continue  # no authentication, no role: these cannot happen
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


class SchemaGenerator(generators.SchemaGenerator):
    """Introspection builds querysets without a request: let scoped managers answer."""

    def get_schema(self, request=None, public=False):
        with dangerously_bypass_tenancy():
            return super().get_schema(request=request, public=public)
