"""Sites in the console: the list, and a form to add or edit one, over `auth/sites/`."""

from __future__ import annotations

from django.urls import reverse

from flowline.core.pages.api import Endpoint
from flowline.core.pages.forms import ApiFormPage
from flowline.core.pages.lists import BulkAction, Column, Filter, ListPage
from flowline.core.roles import Role
from flowline.reference.api.views import IndustryViewSet
from flowline.sites.api.views import SiteViewSet

sites = Endpoint(SiteViewSet, {"get": "list", "post": "create"})
site = Endpoint(SiteViewSet, {"get": "retrieve", "patch": "partial_update"})
sites_bulk_delete = Endpoint(SiteViewSet, {"post": "bulk_delete"})
industries = Endpoint(IndustryViewSet, {"get": "list"})


def industry_choices(request) -> list[tuple[str, str]]:
    answer = industries.call(request, query={"page_size": 100})
    return [(str(i["id"]), i["name"]) for i in answer.body.get("results", [])]


class SiteListPage(ListPage):
    title = "Sites"
    endpoint = sites
    columns = [
        Column("name", "Name", sort="name", link=True),
        Column("url", "Address", cell="sites/cells/url.html"),
        Column("status", "Status", cell="pages/cells/status.html"),
        Column("created_at", "Added", sort="created_at", cell="pages/cells/date.html"),
    ]
    filters = [Filter("status", "Status", [("active", "Active"), ("inactive", "Inactive")])]
    bulk_actions = [
        BulkAction(
            "bulk_delete",
            "Delete",
            sites_bulk_delete,
            role=Role.ADMIN,
            confirm="Delete the selected sites and everything in them?",
        )
    ]
    search_placeholder = "Search sites"
    row_url_name = "console-site-edit"
    create_url_name = "console-site-add"
    create_label = "Add site"
    create_role = Role.ADMIN
    empty_heading = "No sites yet"
    empty_text = (
        "A site (or brand) holds your keywords, articles, posts and products. "
        "Add your first one to get started."
    )


class SiteFormPage(ApiFormPage):
    """Add a site (admins) or edit one (editors)."""

    template_name = "sites/site_form.html"
    fields = ("name", "url", "industry", "description", "voice", "status")

    @property
    def adding(self) -> bool:
        return "pk" not in self.kwargs

    @property
    def endpoint(self):
        return sites if self.adding else site

    @property
    def method(self):
        return "POST" if self.adding else "PATCH"

    @property
    def write_role(self):
        return Role.ADMIN if self.adding else Role.EDITOR

    @property
    def title(self):
        return "Add a site" if self.adding else "Edit site"

    @property
    def success_message(self):
        return "Site added." if self.adding else "Site saved."

    def load(self) -> dict:
        if self.adding:
            return {"status": "active"}
        answer = site.call(self.request, **self.kwargs)
        if not answer.ok:
            from django.http import Http404

            raise Http404
        return answer.data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            industries=industry_choices(self.request),
            statuses=[("active", "Active"), ("inactive", "Inactive")],
            adding=self.adding,
            crumbs=[{"label": "Sites", "url": reverse("console-sites")}],
        )
        return context

    def success_url(self, answer) -> str:
        return reverse("console-sites")
