"""Module settings (which modules are on for the account, and each one's configuration)
and the member's own settings, over `system/settings/modules/` and
`system/settings/user/`. Values are JSON, as the API stores them."""

from __future__ import annotations

import json

from django.contrib import messages
from django.shortcuts import redirect

from flowline.core.pages.api import Answer, Endpoint
from flowline.core.pages.views import Page
from flowline.core.roles import Role
from flowline.system.api.views import ModuleSettingViewSet, UserSettingViewSet

modules = Endpoint(ModuleSettingViewSet, {"get": "list", "post": "create"})
module = Endpoint(ModuleSettingViewSet, {"patch": "partial_update", "delete": "destroy"})
user_settings = Endpoint(UserSettingViewSet, {"get": "list", "post": "create"})
user_setting = Endpoint(UserSettingViewSet, {"patch": "partial_update", "delete": "destroy"})

# The modules a fresh account has; an account may add settings for others by name.
KNOWN_MODULES = (
    "planner", "writer", "automation", "integration", "social", "commerce", "chat",
    "analytics", "agents", "notifications",
)  # fmt: skip


def parse_json(text: str) -> tuple[object, str | None]:
    """A JSON value typed in a form; an empty box is `{}`."""
    if not text.strip():
        return {}, None
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."


def pretty(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


class _SettingsPage(Page):
    """Rows from a list endpoint, a form per row and one to add; a refusal shows on the
    row (or the add form) it came from."""

    list_endpoint: Endpoint
    row_endpoint: Endpoint
    value_field: str

    def rows(self) -> tuple[list[dict], str | None]:
        answer = self.list_endpoint.call(self.request, query={"page_size": 100})
        rows = answer.body.get("results") or []
        for row in rows:
            row["text"] = pretty(row.get(self.value_field))
        return rows, None if answer.ok else answer.message

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, list_error = self.rows()
        context.setdefault("errors", {})
        context.setdefault("values", {})
        context.update(rows=rows, list_error=list_error)
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        target = request.POST.get("id", "")
        if action == "delete":
            return self.after(self.row_endpoint.call(request, "DELETE", pk=target), target)
        if action not in ("add", "save"):
            return self.error_page(400, "Unknown action.")
        value, error = parse_json(request.POST.get(self.value_field, ""))
        values = {**request.POST.dict(), "row": target}
        if error:
            return self.refused(400, {self.value_field: [error]}, values)
        body = {**self.body(request.POST, action), self.value_field: value}
        if action == "add":
            return self.after(self.list_endpoint.call(request, "POST", body=body), "", values)
        return self.after(self.row_endpoint.call(request, "PATCH", body=body, pk=target), target)

    def body(self, post, action: str) -> dict:
        raise NotImplementedError

    def after(self, answer: Answer, target: str, values: dict | None = None):
        if answer.ok:
            messages.success(self.request, answer.message or "Saved.")
            return redirect(self.request.path)
        values = values or {"row": target}
        return self.refused(answer.status, answer.errors, values, message=answer.message)

    def refused(self, status: int, errors: dict, values: dict, message: str = ""):
        summary = "Please correct the highlighted fields." if errors else message
        context = self.get_context_data(form_error=summary, errors=errors, values=values)
        response = self.render_to_response(context)
        response.status_code = status if 400 <= status < 500 else 400
        return response


class ModuleSettingsPage(_SettingsPage):
    title = "Modules"
    template_name = "system/pages/modules.html"
    read_role = Role.ADMIN
    write_role = Role.ADMIN
    list_endpoint = modules
    row_endpoint = module
    value_field = "config"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        configured = {row["module_name"] for row in context["rows"]}
        context["addable"] = [(m, m) for m in KNOWN_MODULES if m not in configured]
        return context

    def body(self, post, action: str) -> dict:
        body = {"enabled": post.get("enabled") in ("true", "on")}
        if action == "add":
            body["module_name"] = post.get("module_name", "")
        return body


class UserSettingsPage(_SettingsPage):
    """Every member's own settings in this account (no one else's: the API scopes them)."""

    title = "Your settings"
    template_name = "system/pages/user_settings.html"
    write_role = Role.VIEWER
    list_endpoint = user_settings
    row_endpoint = user_setting
    value_field = "value"

    def body(self, post, action: str) -> dict:
        return {"key": post.get("key", "")} if action == "add" else {}
