"""AI integrations and prompts in the console, over `system/settings/integrations/<type>/`
(read, save, test) and `system/prompts/` (list, `by_type`, `save`, `reset`). Members read;
admins change them, as the API allows."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from flowline.ai.api.system import (
    ImageGenerationSettingsView,
    IntegrationSaveView,
    IntegrationSettingView,
    IntegrationTestView,
    PromptViewSet,
)
from flowline.ai.models import IntegrationSetting
from flowline.ai.prompts_defaults import DEFAULTS
from flowline.core.pages.api import Answer, Endpoint
from flowline.core.pages.views import Page
from flowline.core.roles import Role

setting = Endpoint(IntegrationSettingView)
save = Endpoint(IntegrationSaveView)
test = Endpoint(IntegrationTestView)
image_settings = Endpoint(ImageGenerationSettingsView)
prompts = Endpoint(PromptViewSet, {"get": "list"})
prompt_by_type = Endpoint(PromptViewSet, {"get": "by_type"})
prompt_save = Endpoint(PromptViewSet, {"post": "save_prompt"})
prompt_reset = Endpoint(PromptViewSet, {"post": "reset"})

Type = IntegrationSetting.Type
# The config keys each integration's form edits (the API takes any; these are the ones
# the gateway reads). Credentials are write-only: the API shows them masked.
FIELDS = {
    Type.OPENAI: (
        ("baseUrl", "API address", "url", "https://api.openai.com/v1"),
        ("apiKey", "API key", "password", ""),
        ("model", "Text model", "text", "gpt-4o-mini"),
        ("imageModel", "Image model", "text", "dall-e-3"),
    ),
    Type.RUNWARE: (
        ("baseUrl", "API address", "url", "https://api.runware.ai/v1"),
        ("apiKey", "API key", "password", ""),
        ("model", "Image model", "text", "runware:101@1"),
    ),
    Type.IMAGE_GENERATION: (
        ("provider", "Image provider", "select", ""),
        ("model", "Image model", "text", ""),
    ),
}
TESTABLE = (Type.OPENAI, Type.RUNWARE)


class IntegrationsPage(Page):
    title = "AI integrations"
    template_name = "ai/pages/integrations.html"
    write_role = Role.ADMIN

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        images = image_settings.call(self.request).data or {}
        providers = [(p, p) for p in images.get("providers", [])]
        cards = []
        for kind, fields in FIELDS.items():
            answer = setting.call(self.request, pk=kind)
            saved = answer.data or {}
            config = saved.get("config") or {}
            typed = kwargs.get("values") if kwargs.get("kind") == kind else None
            cards.append(
                {
                    "kind": kind,
                    "label": kind.label,
                    "saved": saved,
                    "testable": kind in TESTABLE,
                    "error": None if answer.ok else answer.message,
                    "result": kwargs.get("result") if kwargs.get("kind") == kind else None,
                    "fields": [
                        {
                            "name": name,
                            "label": label,
                            "type": field_type,
                            "placeholder": placeholder,
                            "options": providers,
                            # A credential's field starts empty (kept unless replaced).
                            "value": (typed or config).get(name, "")
                            if field_type != "password"
                            else "",
                            "help": f"Saved: {config[name]}. Leave empty to keep it."
                            if field_type == "password" and config.get(name)
                            else "",
                            "errors": (kwargs.get("errors") or {}).get(name)
                            if kwargs.get("kind") == kind
                            else None,
                        }
                        for name, label, field_type, placeholder in fields
                    ],
                }
            )
        context.update(cards=cards, default=images.get("default") or {})
        return context

    def post(self, request, *args, **kwargs):
        kind = request.POST.get("kind", "")
        if kind not in FIELDS:
            return self.error_page(400, "Unknown integration.")
        config = {}
        for name, _label, _type, _placeholder in FIELDS[kind]:
            value = request.POST.get(name, "")
            if value != "":  # an empty credential keeps the saved one
                config[name] = value
        action = request.POST.get("action", "")
        if action == "test" and kind in TESTABLE:
            answer = test.call(request, "POST", body={"config": config}, pk=kind)
            return self.show(answer, kind, config)
        if action in ("save", "disable"):
            body = {"config": config, "is_active": action == "save"}
            answer = save.call(request, "POST", body=body, pk=kind)
            if answer.ok:
                messages.success(request, answer.message or "Saved.")
                return redirect(f"{request.path}#{kind}")
            return self.show(answer, kind, config)
        return self.error_page(400, "Unknown action.")

    def show(self, answer: Answer, kind: str, values: dict):
        """A test's result, or a refusal with its field errors, on the integration's card."""
        errors = {k.removeprefix("config."): v for k, v in answer.errors.items()}
        result = {"ok": answer.ok, "message": answer.message}
        context = self.get_context_data(kind=kind, values=values, errors=errors, result=result)
        response = self.render_to_response(context)
        response.status_code = 200 if answer.ok else (answer.status if answer.status < 500 else 400)
        return response


class PromptsPage(Page):
    """Each prompt type the pipeline uses, whether the account changed it, and its own."""

    title = "Prompts"
    template_name = "ai/pages/prompts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answer = prompts.call(self.request, query={"page_size": 100, "ordering": "prompt_type"})
        saved = {row["prompt_type"]: row for row in answer.body.get("results") or []}
        context.update(
            rows=[
                {"prompt_type": kind, "saved": saved.get(kind), "shipped": kind in DEFAULTS}
                for kind in sorted({*DEFAULTS, *saved})
            ],
            list_error=None if answer.ok else answer.message,
        )
        return context


class PromptPage(Page):
    """One prompt type: its text (the account's or the shipped one), save, reset."""

    title = "Prompt"
    template_name = "ai/pages/prompt.html"
    write_role = Role.EDITOR

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = self.kwargs["prompt_type"]
        answer = prompt_by_type.call(self.request, prompt_type=kind)
        if not answer.ok:
            raise Http404
        prompt = answer.data or {}
        context.setdefault("values", prompt)
        context.setdefault("errors", {})
        context.update(
            prompt=prompt,
            prompt_type=kind,
            shipped=kind in DEFAULTS,
            title=kind.replace("_", " ").capitalize(),
            crumbs=[{"label": "Prompts", "url": reverse("console-prompts")}],
        )
        return context

    def post(self, request, *args, **kwargs):
        kind = self.kwargs["prompt_type"]
        action = request.POST.get("action", "")
        if action == "save":
            body = {
                "prompt_type": kind,
                "prompt_value": request.POST.get("prompt_value", ""),
                "is_active": request.POST.get("is_active") in ("true", "on"),
            }
            answer = prompt_save.call(request, "POST", body=body)
        elif action == "reset":
            body = {"prompt_type": kind}
            answer = prompt_reset.call(request, "POST", body=body)
        else:
            return self.error_page(400, "Unknown action.")
        if answer.ok:
            messages.success(request, answer.message or "Saved.")
            return redirect(request.path)
        summary = "Please correct the highlighted fields." if answer.errors else answer.message
        context = self.get_context_data(form_error=summary, errors=answer.errors, values=body)
        response = self.render_to_response(context)
        response.status_code = answer.status if answer.status < 500 else 400
        return response
