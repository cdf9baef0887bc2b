"""Campaigns in the console: the list, creating one, and a campaign's page (attach posts
and articles, their combined metrics, complete it). Over `campaigns/`; the posts and
articles offered are the API's lists, the attached posts' states come from
`posts.public`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from flowline.campaigns.api.views import CampaignViewSet
from flowline.campaigns.models import Campaign
from flowline.core.pages.api import Endpoint
from flowline.core.pages.forms import ApiFormPage
from flowline.core.pages.lists import Column, Filter, ListPage
from flowline.core.pages.views import Page
from flowline.posts import public as posts_public
from flowline.posts.api.views import PostViewSet
from flowline.writer.api.views import ContentViewSet

campaigns = Endpoint(CampaignViewSet, {"get": "list", "post": "create"})
campaign = Endpoint(CampaignViewSet, {"get": "retrieve"})
campaign_metrics = Endpoint(CampaignViewSet, {"get": "metrics"})
campaign_attach = Endpoint(CampaignViewSet, {"post": "attach"})
campaign_detach = Endpoint(CampaignViewSet, {"post": "detach"})
campaign_complete = Endpoint(CampaignViewSet, {"post": "complete"})
campaign_schedule = Endpoint(CampaignViewSet, {"post": "schedule"})
posts = Endpoint(PostViewSet, {"get": "list"})
contents = Endpoint(ContentViewSet, {"get": "list"})
CHOICES = 100  # posts and articles offered to attach: the latest ones


class CampaignListPage(ListPage):
    title = "Campaigns"
    endpoint = campaigns
    columns = [
        Column("name", "Name", sort="name", link=True),
        Column("status", "Status", sort="status", cell="pages/cells/status.html"),
        Column("posts_count", "Posts", classes="text-end"),
        Column("contents_count", "Articles", classes="text-end"),
        Column("starts_at", "Starts", sort="starts_at", cell="pages/cells/date.html"),
        Column("ends_at", "Ends", sort="ends_at", cell="pages/cells/date.html"),
    ]
    filters = [Filter("status", "Status", Campaign.Status.choices)]
    search_placeholder = "Search campaigns"
    row_url_name = "console-campaign"
    create_url_name = "console-campaign-new"
    create_label = "New campaign"
    empty_heading = "No campaigns yet"
    empty_text = "A campaign groups posts and articles and adds up how they did."


class CampaignCreatePage(ApiFormPage):
    title = "New campaign"
    template_name = "campaigns/new.html"
    endpoint = campaigns
    fields = ("name", "description", "goal", "starts_at", "ends_at")
    success_message = "Campaign created."

    def body(self) -> dict:
        # An empty window is no window (the API takes both times or neither).
        return {name: value for name, value in super().body().items() if value != ""}

    def success_url(self, answer) -> str:
        return reverse("console-campaign", args=[answer.data["id"]])


class CampaignPage(Page):
    template_name = "campaigns/campaign.html"

    def stored(self) -> dict:
        return self.fetched(campaign, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stored = self.stored()
        request = self.request
        attached_posts = posts_public.posts_for_campaign(
            account_id=self.context.account_id, post_ids=stored["posts"]
        )
        all_contents = contents.call(request, query={"page_size": CHOICES}).body.get("results", [])
        all_posts = posts.call(request, query={"page_size": CHOICES}).body.get("results", [])
        context.update(
            title=stored["name"],
            campaign=stored,
            metrics=campaign_metrics.call(request, pk=stored["id"]).data or {},
            attached_posts=attached_posts,
            attached_contents=[c for c in all_contents if c["id"] in stored["contents"]],
            post_choices=[p for p in all_posts if p["id"] not in stored["posts"]],
            content_choices=[c for c in all_contents if c["id"] not in stored["contents"]],
            open=stored["status"] != Campaign.Status.COMPLETED,
            # Only a campaign with a window (scheduled or running) can be completed.
            may_complete=stored["status"] in (Campaign.Status.SCHEDULED, Campaign.Status.RUNNING),
            crumbs=[{"label": "Campaigns", "url": reverse("console-campaigns")}],
        )
        return context

    def post(self, request, *args, **kwargs):
        pk = self.stored()["id"]
        action = request.POST.get("action", "")
        if action in ("attach", "detach"):
            body = {
                "posts": [int(v) for v in request.POST.getlist("posts") if v.isdigit()],
                "contents": [int(v) for v in request.POST.getlist("contents") if v.isdigit()],
            }
            endpoint = campaign_attach if action == "attach" else campaign_detach
            answer = endpoint.call(request, "POST", body=body, pk=pk)
        elif action == "complete":
            answer = campaign_complete.call(request, "POST", pk=pk)
        elif action == "schedule":
            body = {name: request.POST.get(name, "") for name in ("starts_at", "ends_at")}
            answer = campaign_schedule.call(request, "POST", body=body, pk=pk)
        else:
            raise Http404
        if answer.ok:
            messages.success(request, answer.message)
        else:
            reasons = "; ".join(m for msgs in answer.errors.values() for m in msgs)
            messages.error(request, reasons or answer.message)
        return redirect(request.path)
