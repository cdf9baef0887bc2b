"""Outbound webhooks in the console: endpoints (the signing secret shown once), a test
ping, and the delivery log with redeliver, over `webhooks/endpoints/`,
`webhooks/deliveries/` and `webhooks/event-types/`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from flowline.core.pages.api import Endpoint
from flowline.core.pages.lists import Column, Filter, ListPage
from flowline.core.pages.views import Page
from flowline.core.roles import Role
from flowline.webhooks.api.views import DeliveryViewSet, EndpointViewSet, EventTypesView
from flowline.webhooks.models import WebhookDelivery

endpoints = Endpoint(EndpointViewSet, {"get": "list", "post": "create"})
endpoint = Endpoint(EndpointViewSet, {"delete": "destroy"})
endpoint_test = Endpoint(EndpointViewSet, {"post": "test"})
deliveries = Endpoint(DeliveryViewSet, {"get": "list"})
redeliver = Endpoint(DeliveryViewSet, {"post": "redeliver"})
event_types = Endpoint(EventTypesView)


def endpoint_choices(request) -> list[tuple[str, str]]:
    rows = endpoints.call(request, query={"page_size": 100}).body.get("results", [])
    return [(str(row["id"]), row["url"]) for row in rows]


class WebhooksPage(Page):
    title = "Webhooks"
    template_name = "webhooks/endpoints.html"
    write_role = Role.ADMIN

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("errors", {})
        context.setdefault("values", {"event_types": []})
        context.update(
            endpoints=endpoints.call(self.request, query={"page_size": 100}).body.get(
                "results", []
            ),
            event_types=event_types.call(self.request).data or [],
            can_manage=self.can(Role.ADMIN),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        if action in ("test", "delete"):
            target = request.POST.get("id", "")
            if action == "test":
                answer = endpoint_test.call(request, "POST", pk=target)
            else:
                answer = endpoint.call(request, "DELETE", pk=target)
            if answer.status == 404:
                raise Http404
            level = messages.SUCCESS if answer.ok and action == "delete" else messages.INFO
            if action == "test" and answer.ok and answer.data.get("status") != "succeeded":
                level = messages.WARNING
            messages.add_message(request, level, answer.message or "Endpoint deleted.")
            return redirect(request.path)
        values = {
            "url": request.POST.get("url", ""),
            "description": request.POST.get("description", ""),
            "event_types": [v for v in request.POST.getlist("event_types") if v],
        }
        answer = endpoints.call(request, "POST", body=values)
        if answer.ok:
            context = self.get_context_data(created=answer.data, notice=answer.message)
            response = self.render_to_response(context)
            response.status_code = 201
            return response
        summary = "Please correct the highlighted fields." if answer.errors else answer.message
        context = self.get_context_data(form_error=summary, errors=answer.errors, values=values)
        response = self.render_to_response(context)
        response.status_code = answer.status if answer.status < 500 else 400
        return response


class DeliveryListPage(ListPage):
    """The delivery log; a failed delivery can be sent again (admins)."""

    title = "Webhook deliveries"
    endpoint = deliveries
    columns = [
        Column("created_at", "When", sort="created_at", cell="pages/cells/date.html"),
        Column("event_type", "Event"),
        Column("status", "Status", cell="webhooks/cells/delivery_status.html"),
        Column("attempts", "Attempts", sort="attempts", classes="text-end"),
        Column("last_response_status", "Answer", classes="text-end"),
        Column("id", "", cell="webhooks/cells/redeliver.html", classes="text-end"),
    ]
    filters = [
        Filter("endpoint", "Endpoint", endpoint_choices),
        Filter("status", "Status", WebhookDelivery.Status.choices),
    ]
    search = False
    action_roles = {"redeliver": Role.ADMIN}
    empty_heading = "No deliveries yet"
    empty_text = "Each event sent to one of your endpoints is logged here, with its answer."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["crumbs"] = [{"label": "Webhooks", "url": reverse("console-webhooks")}]
        context["can_redeliver"] = self.can(Role.ADMIN)
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") != "redeliver":
            return super().post(request, *args, **kwargs)
        answer = redeliver.call(request, "POST", pk=request.POST.get("id", ""))
        if answer.status == 404:
            raise Http404
        level = messages.SUCCESS if answer.ok else messages.ERROR
        messages.add_message(request, level, answer.message)
        return self.render_list(self.endpoint.call(request, query=request.GET))
