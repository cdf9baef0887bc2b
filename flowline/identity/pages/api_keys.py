"""API keys in the console: the account's keys, a new key (its secret shown once), its
usage log and revoking it, over `auth/api-keys/`. Admins and owners only."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from flowline.core.pages.api import Endpoint
from flowline.core.pages.views import Page
from flowline.core.roles import Role
from flowline.identity.api.views.api_keys import ApiKeyViewSet

api_keys = Endpoint(ApiKeyViewSet, {"get": "list", "post": "create"})
api_key = Endpoint(ApiKeyViewSet, {"get": "retrieve", "delete": "destroy"})
api_key_usage = Endpoint(ApiKeyViewSet, {"get": "usage"})


class ApiKeysPage(Page):
    title = "API keys"
    template_name = "identity/pages/api_keys.html"
    read_role = Role.ADMIN
    write_role = Role.ADMIN

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("errors", {})
        context.setdefault("values", {"scopes": "*:read"})
        context["keys"] = api_keys.call(self.request, query={"page_size": 100}).body.get(
            "results", []
        )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "revoke":
            answer = api_key.call(request, "DELETE", pk=request.POST.get("id", ""))
            if answer.status == 404:
                raise Http404
            messages.success(request, answer.message)
            return redirect(request.path)
        values = {
            "name": request.POST.get("name", ""),
            "scopes": request.POST.get("scopes", ""),
            "expires_at": request.POST.get("expires_at", ""),
        }
        body = {
            "name": values["name"],
            # Scopes are typed as a list ("planner:read, writer:write"); the API checks each.
            "scopes": [s for s in re.split(r"[\s,]+", values["scopes"]) if s],
        }
        if values["expires_at"]:
            body["expires_at"] = values["expires_at"]
        answer = api_keys.call(request, "POST", body=body)
        if answer.ok:
            context = self.get_context_data(issued=answer.data, notice=answer.message)
            return self.render_to_response(context, status=201)
        summary = "Please correct the highlighted fields." if answer.errors else answer.message
        context = self.get_context_data(form_error=summary, errors=answer.errors, values=values)
        return self.render_to_response(context, status=answer.status)

    def render_to_response(self, context, status=200, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response.status_code = status
        return response


class ApiKeyUsagePage(Page):
    template_name = "identity/pages/api_key_usage.html"
    read_role = Role.ADMIN

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        found = api_key.call(self.request, pk=self.kwargs["pk"])
        if not found.ok:
            raise Http404
        log = api_key_usage.call(self.request, query=self.request.GET, pk=self.kwargs["pk"])
        context.update(
            key=found.data,
            title=f"API key: {found.data['name']}",
            usage=log.body.get("results", []),
            crumbs=[{"label": "API keys", "url": reverse("console-api-keys")}],
        )
        return context
