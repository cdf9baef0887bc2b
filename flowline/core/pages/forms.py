"""Forms on pages are validated by the API's own input serializers, then call the services.

A page never restates a rule: the serializer the API uses for the same action checks the
fields, the service enforces the business rules, and both refusals come back as the same
messages the API would give, shown beside the fields.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as DRFValidationError

from flowline.core.errors import ApplicationError
from flowline.core.pages.api import Answer, Endpoint
from flowline.core.pages.views import Page, PublicPage, error_messages

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


class FormMixin(PublicPage):
    """POST: validate with `input_serializer`, then `form_valid(data)`; refusals re-render
    the page (or, for htmx, `form_template`) with the errors and a 400. Mixed into a
    `PublicPage` or a `Page` (`class LoginPage(FormMixin, PublicPage)`)."""

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


class ApiFormPage(Page):
    """A form whose submission is an API call: the endpoint validates and acts, and its
    refusal (field errors, message) is shown on the form.

    Declare `fields` (POST names sent as the body; `list_fields` are sent as lists), the
    `endpoint` and `method`, and override `success_url(answer)`. `load()` gives the values
    an edit form starts from.
    """

    endpoint: Endpoint
    method = "POST"
    fields: tuple[str, ...] = ()
    list_fields: tuple[str, ...] = ()
    success_message = "Saved."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("values", self.load())
        context.setdefault("errors", {})
        return context

    def load(self) -> dict:
        return {}

    def body(self) -> dict:
        post = self.request.POST
        body: dict[str, object] = {}
        for name in self.fields:
            if name in self.list_fields:
                body[name] = [v for v in post.getlist(name) if v != ""]
            elif name in post:
                body[name] = post.get(name)
        return body

    def post(self, request, *args, **kwargs):
        body = self.body()
        answer = self.endpoint.call(request, self.method, body=body, **self.kwargs)
        if answer.ok:
            if self.success_message:
                messages.success(request, self.success_message)
            return redirect(self.success_url(answer))
        # Field errors are shown beside their fields; the summary only points at them.
        summary = "Please correct the highlighted fields." if answer.errors else answer.message
        context = self.get_context_data(form_error=summary, errors=answer.errors, values=body)
        return self.render_to_response(context, status=400)

    def render_to_response(self, context, status=200, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response.status_code = status
        return response

    def success_url(self, answer: Answer) -> str:
        raise NotImplementedError
