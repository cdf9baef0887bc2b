"""Automation in the console: a site's configuration, the next run's estimate and what
waits at each stage, run now, the open run followed live through its job, pause, resume,
cancel, and the run's log. Over `automation/...`, `sites/` and `jobs/<id>/`."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from flowline.automation.api.serializers import LIMIT_FIELDS, AutomationConfigInput
from flowline.automation.api.views import AutomationViewSet
from flowline.automation.models import AutomationConfig
from flowline.core.pages.api import Endpoint
from flowline.core.pages.forms import form_data
from flowline.core.pages.views import Page
from flowline.jobs.pages.follow import job_detail
from flowline.sites.api.views import SiteViewSet

sites = Endpoint(SiteViewSet, {"get": "list"})
config = Endpoint(AutomationViewSet, {"get": "config"})
config_update = Endpoint(AutomationViewSet, {"patch": "update_config"})
estimate = Endpoint(AutomationViewSet, {"get": "estimate"})
overview = Endpoint(AutomationViewSet, {"get": "pipeline_overview"})
history = Endpoint(AutomationViewSet, {"get": "history"})
logs = Endpoint(AutomationViewSet, {"get": "logs"})
run_now = Endpoint(AutomationViewSet, {"post": "run_now"})
# The run's controls: the POSTed action names the API action.
CONTROLS = {
    name: Endpoint(AutomationViewSet, {"post": name}) for name in ("pause", "resume", "cancel")
}
CONFIG_FIELDS = ("is_enabled", "frequency", "scheduled_time", *LIMIT_FIELDS)
# What may be asked of a run in each status (a refused one would be a 409 from the API).
RUN_CONTROLS = {
    "queued": ("pause", "cancel"),
    "running": ("pause", "cancel"),
    "paused": ("resume", "cancel"),
}
LIMIT_LABELS = {
    name: AutomationConfig._meta.get_field(name).help_text.rstrip(".") for name in LIMIT_FIELDS
}


class AutomationPage(Page):
    title = "Automation"
    template_name = "automation/automation.html"

    def site_id(self, choices: list[dict]) -> int | None:
        chosen = self.request.GET.get("site", "")
        ids = [site["id"] for site in choices]
        if chosen.isdigit() and int(chosen) in ids:
            return int(chosen)
        return ids[0] if ids else None

    def sites(self) -> list[dict]:
        return sites.call(self.request, query={"page_size": 100}).body.get("results", [])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        choices = self.sites()
        site_id = self.site_id(choices)
        context.update(sites=choices, site_id=site_id)
        if site_id is None:
            return context
        on_site = {"site_id": site_id}
        runs = history.call(self.request, query={**on_site, "page_size": 5}).body.get("results", [])
        run = runs[0] if runs else None
        job_id = run["job_id"] if run else None
        job = job_detail.call(self.request, pk=job_id).data if job_id else None
        context.update(
            config=config.call(self.request, query=on_site).data,
            estimate=estimate.call(self.request, query=on_site).data,
            stages=overview.call(self.request, query=on_site).data["stages"],
            run=run,
            runs=runs,
            run_job=job,
            log=logs.call(self.request, query={"run_id": run["id"], "page_size": 100}).body.get(
                "results", []
            )
            if run
            else [],
            frequencies=AutomationConfig.Frequency.choices,
        )
        values = context.setdefault("values", context["config"])
        errors = context.setdefault("errors", {})
        context["limits"] = [
            {"name": n, "label": LIMIT_LABELS[n], "value": values.get(n), "errors": errors.get(n)}
            for n in LIMIT_FIELDS
        ]
        # The controls the run's status allows, as the services decide them.
        context["controls"] = RUN_CONTROLS.get(run["status"], ()) if run else ()
        context["open_stage"] = run["stage"] if context["controls"] else ""
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        # The site shown: the one asked for when it is the member's (the API says 404 to
        # another account's), else the first.
        chosen = request.GET.get("site", "")
        site = chosen if chosen.isdigit() else self.site_id(self.sites())
        query = {"site_id": site or ""}
        if action == "save":
            # The API's input serializer reads the form (a checkbox left out is false).
            body = form_data(AutomationConfigInput, request.POST)
            answer = config_update.call(request, "PATCH", query=query, body=body)
        elif action == "run_now":
            answer = run_now.call(request, "POST", query=query, body={})
        elif action in CONTROLS:
            body = {"run_id": request.POST.get("run_id", "")}
            answer = CONTROLS[action].call(request, "POST", body=body)
        else:
            answer = None
        if answer is not None and answer.ok:
            messages.success(request, answer.message)
            return redirect(f"{request.path}?site={site}")
        refused = answer.message if answer is not None else "Unknown action."
        errors = answer.errors if answer is not None else {}
        kept = {"values": request.POST} if action == "save" else {}
        context = self.get_context_data(
            refused=refused,
            no_credits=answer is not None and answer.status == 402,
            errors=errors,
            **kept,
        )
        response = self.render_to_response(context)
        response.status_code = answer.status if answer is not None and answer.status < 500 else 400
        return response
