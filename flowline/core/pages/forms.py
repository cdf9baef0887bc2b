"""Forms on pages are validated by the API's own input serializers, then call the services.

A page never restates a rule: the serializer the API uses for the same action checks the
fields, the service enforces the business rules, and both refusals come back as the same
messages the API would give, shown beside the fields.
"""

from __future__ import annotations

from django.http import HttpResponse
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as DRFValidationError

from flowline.core.errors import ApplicationError
from flowline.core.pages.views import error_messages

_LISTS = (serializers.ListField, serializers.ManyRelatedField, serializers.MultipleChoiceField)


def form_data(serializer_class, post, files=None) -> dict:
    """The POSTed values the serializer declares (a form also posts its CSRF token, the
    action and `next`, which strict input serializers would refuse as unknown fields)."""
    fields = serializer_class().fields
    data = {}
    for name, field in fields.items():
        if field.read_only:
            continue
        if files is not None and name in files:
            data[name] = files[name]
        elif isinstance(field, _LISTS):
            if name in post:
                data[name] = [value for value in post.getlist(name) if value != ""]
        elif isinstance(field, serializers.BooleanField):
            data[name] = post.get(name) in ("true", "on", "1")
        elif name in post:
            value = post.get(name)
            if value == "" and (field.allow_null or not field.required):
                if field.allow_null:
                    data[name] = None
                elif isinstance(field, serializers.CharField) and field.allow_blank:
                    data[name] = ""
                continue
            data[name] = value
    return data


class FormMixin:
    """POST: validate with `input_serializer`, then `form_valid(data)`; refusals re-render
    the page (or, for htmx, `form_template`) with the errors and a 400."""

    input_serializer: type[serializers.Serializer]
    form_template: str | None = None

    def post(self, request, *args, **kwargs):
        data = form_data(self.input_serializer, request.POST, request.FILES)
        serializer = self.input_serializer(data=data, context=self.serializer_context())
        try:
            serializer.is_valid(raise_exception=True)
            return self.form_valid(serializer.validated_data)
        except (ApplicationError, DRFValidationError) as exc:
            message, errors = error_messages(exc)
            return self.form_invalid(message=message, errors=errors, values=data)

    def serializer_context(self) -> dict:
        return {"request": self.request}

    def form_valid(self, data: dict) -> HttpResponse:
        raise NotImplementedError

    def form_invalid(self, *, message: str, errors: dict, values: dict) -> HttpResponse:
        context = self.get_context_data(form_error=message, errors=errors, values=values)
        template = self.form_template if (self.form_template and self.request.htmx) else None
        return self.render_to_response(context, status=400, template=template)

    def render_to_response(self, context, status=200, template=None, **kwargs):
        if template is not None:
            return self.response_class(
                request=self.request, template=[template], context=context, status=status
            )
        response = super().render_to_response(context, **kwargs)
        response.status_code = status
        return response
