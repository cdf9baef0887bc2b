"""A site's categories and tags in the console, over `writer/taxonomies/`: the list (site
and type filters, search, ordering, bulk delete), adding one and editing it. Publishing
matches them with WordPress's terms (`external_id`)."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse

from flowline.core.pages.api import Endpoint
from flowline.core.pages.forms import ApiFormPage
from flowline.core.pages.lists import BulkAction, Column, Filter, ListPage
from flowline.sites.api.views import SiteViewSet
from flowline.writer.api.views import TaxonomyViewSet
from flowline.writer.models import Taxonomy

taxonomies = Endpoint(TaxonomyViewSet, {"get": "list", "post": "create"})
taxonomy = Endpoint(TaxonomyViewSet, {"get": "retrieve", "patch": "partial_update"})
taxonomies_delete = Endpoint(TaxonomyViewSet, {"post": "bulk_delete"})
sites = Endpoint(SiteViewSet, {"get": "list"})

FIELDS = ("site", "taxonomy_type", "name", "slug", "description", "parent")


def site_choices(request) -> list[tuple[str, str]]:
    rows = sites.call(request, query={"page_size": 100}).body.get("results", [])
    return [(str(row["id"]), row["name"]) for row in rows]


class TaxonomyListPage(ListPage):
    title = "Categories & tags"
    endpoint = taxonomies
    columns = [
        Column("name", "Name", sort="name", link=True),
        Column("taxonomy_type", "Type", sort="taxonomy_type", cell="pages/cells/status.html"),
        Column("slug", "Slug", classes="text-body-secondary"),
        Column("external_id", "WordPress term", classes="text-body-secondary"),
        Column("created_at", "Added", sort="created_at", cell="pages/cells/date.html"),
    ]
    filters = [
        Filter("site_id", "Site", site_choices),
        Filter("taxonomy_type", "Type", Taxonomy.Type.choices),
    ]
    bulk_actions = [
        BulkAction(
            "bulk_delete", "Delete", taxonomies_delete, confirm="Delete the selected terms?"
        ),
    ]
    row_url_name = "console-taxonomy"
    create_url_name = "console-taxonomy-new"
    create_label = "Add a category or tag"
    search_placeholder = "Search names and slugs"
    empty_heading = "No categories or tags yet"
    empty_text = (
        "Add the categories and tags your articles are filed under; publishing matches "
        "them with the site's WordPress terms."
    )


class TaxonomyFormPage(ApiFormPage):
    """Adding (no `pk`) or editing a category or tag; the API validates (a slug taken on
    the site, a parent of another site) and the form shows its refusal."""

    template_name = "writer/taxonomy.html"
    endpoint = taxonomies
    fields = FIELDS
    success_message = "Saved."

    def setup(self, request, *args, **kwargs):
        # (Not in dispatch: the console's pages are exempt from Django's CSRF check
        # there, having the API's own double-submit check.)
        super().setup(request, *args, **kwargs)
        if "pk" in kwargs:
            self.endpoint, self.method = taxonomy, "PATCH"

    def load(self) -> dict:
        if "pk" not in self.kwargs:
            return {"taxonomy_type": Taxonomy.Type.CATEGORY, "site": self.request.GET.get("site")}
        answer = taxonomy.call(self.request, pk=self.kwargs["pk"])
        if not answer.ok:
            raise Http404
        return answer.data

    def body(self) -> dict:
        body = super().body()
        # An empty slug is made from the name; an empty parent means none.
        if not body.get("slug"):
            body.pop("slug", None)
        if "parent" in body and not body["parent"]:
            body["parent"] = None
        return body

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site_options = site_choices(self.request)
        parents = taxonomies.call(
            self.request,
            query={"taxonomy_type": Taxonomy.Type.CATEGORY, "page_size": 100, "ordering": "name"},
        ).body.get("results", [])
        editing = self.kwargs.get("pk")
        context.update(
            title="Edit term" if editing else "Add a category or tag",
            editing=editing,
            site_options=site_options,
            type_options=Taxonomy.Type.choices,
            parent_options=[(str(p["id"]), p["name"]) for p in parents if p["id"] != editing],
            crumbs=[{"label": "Categories & tags", "url": reverse("console-taxonomies")}],
        )
        return context

    def success_url(self, answer) -> str:
        return reverse("console-taxonomies")
