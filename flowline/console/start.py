"""First run (`/start/`): create the first site, pick its industry and sectors, connect
WordPress (tested before it is saved) and choose an AI provider or stay offline. Each
step is one API call (`auth/sites/`, `select_sectors`, `integration/integrations/`,
`system/settings/integrations/openai/`); the page shows what the API answers."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from flowline.ai.api.system import IntegrationSaveView, IntegrationSettingView, IntegrationTestView
from flowline.core.pages import dashboard
from flowline.core.pages.api import Answer, Endpoint
from flowline.core.pages.views import Page
from flowline.core.roles import Role
from flowline.integration.api.views import SiteIntegrationViewSet
from flowline.reference.api.views import IndustryViewSet
from flowline.sites.api.views import SiteViewSet

sites = Endpoint(SiteViewSet, {"get": "list", "post": "create"})
site_sectors = Endpoint(SiteViewSet, {"get": "sectors"})
select_sectors = Endpoint(SiteViewSet, {"post": "select_sectors"})
industries = Endpoint(IndustryViewSet, {"get": "list"})
wordpress = Endpoint(SiteIntegrationViewSet, {"get": "list", "post": "create"})
wordpress_test = Endpoint(SiteIntegrationViewSet, {"post": "test_credentials"})
ai_setting = Endpoint(IntegrationSettingView)
ai_save = Endpoint(IntegrationSaveView)
ai_test = Endpoint(IntegrationTestView)
AI = "openai"  # the OpenAI-compatible integration (OpenAI, Gemini, Ollama, vLLM)


class StartPage(Page):
    title = "Get started"
    template_name = "console/start.html"
    read_role = Role.ADMIN
    write_role = Role.ADMIN

    def site_id(self) -> str:
        return self.request.GET.get("site", "")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        all_sites = sites.call(self.request, query={"page_size": 100}).body.get("results", [])
        chosen = next((s for s in all_sites if str(s["id"]) == self.site_id()), None)
        site = chosen or (all_sites[0] if all_sites else None)
        found = industries.call(self.request, query={"page_size": 100}).body.get("results", [])
        industry = next((i for i in found if site and i["id"] == site.get("industry")), None)
        chosen_sectors, connection = [], None
        if site:
            chosen_sectors = site_sectors.call(self.request, pk=site["id"]).data or []
            links = wordpress.call(self.request, query={"site": site["id"]}).body
            connection = (links.get("results") or [None])[0]
        context.setdefault("errors", {})
        context.setdefault("values", {})
        ai = ai_setting.call(self.request, pk=AI).data or {}
        saved = ai.get("config") or {}
        typed = context["values"] if context.get("step") == "ai" else {}
        context.update(
            site=site,
            sites=all_sites,
            industries=[(str(i["id"]), i["name"]) for i in found],
            industry=industry,
            chosen_sectors={s["slug"] for s in chosen_sectors},
            connection=connection,
            ai=ai,
            # What the AI form shows: what was just typed, else what is saved.
            ai_values={k: typed.get(k, saved.get(k, "")) for k in ("baseUrl", "model")},
            ai_key_help=f"Saved key: {saved['apiKey']}" if saved.get("apiKey") else "",
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        post = request.POST
        if action == "site":
            body = {k: post.get(k, "") for k in ("name", "url", "industry")}
            body = {k: v for k, v in body.items() if v != ""}
            answer = sites.call(request, "POST", body=body)
            return self.after(answer, "site", body, site=answer.data and answer.data.get("id"))
        if action == "sectors":
            body = {
                "industry_slug": post.get("industry_slug", ""),
                "sector_slugs": post.getlist("sector_slugs"),
            }
            answer = select_sectors.call(request, "POST", body=body, pk=self.site_id())
            return self.after(answer, "sectors", body)
        if action in ("wordpress_test", "wordpress"):
            body = {k: post.get(k, "") for k in ("base_url", "username", "app_password")}
            if action == "wordpress_test":
                answer = wordpress_test.call(request, "POST", body=body)
                return self.after(answer, "wordpress", body, stay=True)
            answer = wordpress.call(request, "POST", body={**body, "site": self.site_id()})
            return self.after(answer, "wordpress", body)
        if action in ("ai_test", "ai"):
            config = {k: post.get(k, "") for k in ("baseUrl", "apiKey", "model")}
            config = {k: v for k, v in config.items() if v != ""}
            if action == "ai_test":
                answer = ai_test.call(request, "POST", body={"config": config}, pk=AI)
                return self.after(answer, "ai", config, stay=True)
            answer = ai_save.call(request, "POST", body={"config": config}, pk=AI)
            return self.after(answer, "ai", config)
        if action == "offline":
            answer = ai_save.call(request, "POST", body={"config": {}, "is_active": False}, pk=AI)
            return self.after(answer, "ai", {})
        return self.error_page(400, "Unknown action.")

    def after(self, answer: Answer, step: str, values: dict, *, site=None, stay=False):
        """Done: back to the page (on the new site). A test shows its result in place;
        a refusal shows the API's message and field errors on the step's form."""
        if answer.ok and not stay:
            messages.success(self.request, answer.message or "Saved.")
            target = site or self.site_id()
            return redirect(f"{self.request.path}?site={target}" if target else self.request.path)
        context = self.get_context_data(
            step=step,
            step_ok=answer.ok,
            step_message=answer.message,
            errors=answer.errors,
            values=values,
        )
        response = self.render_to_response(context)
        response.status_code = 200 if answer.ok else (answer.status if answer.status < 500 else 400)
        return response


def _getting_started(request) -> dict | None:
    """The dashboard's first card, until the account has a site."""
    answer = sites.call(request, query={"page_size": 1})
    if answer.ok and answer.body.get("count"):
        return None
    return {"url": reverse("console-start")}


dashboard.register(
    dashboard.Card(
        "getting-started",
        "console/cards/getting_started.html",
        _getting_started,
        order=0,
        width="col-12",
        role=Role.ADMIN,
    )
)
