"""The planner in the console: keywords (import, export, clustering), clusters and ideas,
over `planner/keywords/`, `planner/clusters/` and `planner/ideas/`."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from flowline.core.pages.api import Endpoint
from flowline.core.pages.lists import BulkAction, Column, Filter, ListPage, register_cell
from flowline.core.pages.views import Page
from flowline.jobs.pages.follow import FollowsJobMixin
from flowline.planner.api.views import ClusterViewSet, ContentIdeaViewSet, KeywordViewSet
from flowline.planner.models import Cluster, ContentIdea, Keyword
from flowline.sites import public as sites_public

keywords = Endpoint(KeywordViewSet, {"get": "list"})
keywords_delete = Endpoint(KeywordViewSet, {"post": "bulk_delete"})
keywords_status = Endpoint(KeywordViewSet, {"post": "bulk_update_status"})
keywords_cluster = Endpoint(KeywordViewSet, {"post": "auto_cluster"})
keywords_import = Endpoint(KeywordViewSet, {"post": "import_keywords"})
clusters = Endpoint(ClusterViewSet, {"get": "list"})
clusters_delete = Endpoint(ClusterViewSet, {"post": "bulk_delete"})
clusters_ideas = Endpoint(ClusterViewSet, {"post": "auto_generate_ideas"})
ideas = Endpoint(ContentIdeaViewSet, {"get": "list"})
ideas_delete = Endpoint(ContentIdeaViewSet, {"post": "bulk_delete"})
ideas_queue = Endpoint(ContentIdeaViewSet, {"post": "bulk_queue_to_writer"})


def sector_choices(request) -> list[tuple[str, str]]:
    """The account's sectors, named with their site ("Yoga Studio · Beginners"): one
    query through sites' public selector rather than two API lists on every page."""
    return [(str(sector_id), label) for sector_id, label in sites_public.sector_labels()]


def _cluster_cell(row: dict, value) -> str:
    """`planner/cells/cluster.html` in Python (a cell on every keyword row)."""
    if row.get("cluster_id"):
        return format_html('<a href="?cluster_id={}">{}</a>', row["cluster_id"], value)
    return mark_safe('<span class="text-body-secondary">—</span>')


register_cell("planner/cells/cluster.html", _cluster_cell)


def _delete(endpoint, what: str) -> BulkAction:
    return BulkAction("bulk_delete", "Delete", endpoint, confirm=f"Delete the selected {what}?")


class KeywordListPage(FollowsJobMixin, ListPage):
    title = "Keywords"
    template_name = "planner/keywords.html"
    table_template = "planner/keywords_table.html"
    endpoint = keywords
    columns = [
        Column("keyword", "Keyword", sort="keyword", classes="fw-medium"),
        Column("sector_name", "Sector"),
        Column("volume", "Volume", sort="volume", classes="text-end"),
        Column("difficulty", "Difficulty", sort="difficulty", classes="text-end"),
        Column("intent", "Intent", cell="pages/cells/status.html"),
        Column("cluster_name", "Cluster", cell="planner/cells/cluster.html"),
        Column("status", "Status", sort="status", cell="pages/cells/status.html"),
    ]
    filters = [
        Filter("sector_id", "Sector", sector_choices),
        Filter("status", "Status", Keyword.Status.choices),
        Filter("intent", "Intent", Keyword.Intent.choices),
        Filter("unclustered", "Clustered", [("true", "Not clustered")]),
    ]
    bulk_actions = [
        BulkAction("auto_cluster", "Cluster", keywords_cluster, style="primary", starts_job=True),
        BulkAction(
            "set_active",
            "Mark active",
            keywords_status,
            style="outline-secondary",
            extra={"status": Keyword.Status.ACTIVE},
        ),
        BulkAction(
            "set_archived",
            "Archive",
            keywords_status,
            style="outline-secondary",
            extra={"status": Keyword.Status.ARCHIVED},
        ),
        _delete(keywords_delete, "keywords"),
    ]
    search_placeholder = "Search keywords"
    empty_heading = "No keywords yet"
    empty_text = "Import a CSV of keywords to start planning content."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for name in ("page", "page_size", "job"):
            query.pop(name, None)
        context.update(
            export_url=f"/api/v1/planner/keywords/export/?{query.urlencode()}",
            import_url=reverse("console-keywords-import"),
            clusters_url=reverse("console-clusters"),
        )
        return context


class KeywordImportPage(Page):
    """A CSV upload to `planner/keywords/import_keywords/`; its per-line errors are listed."""

    title = "Import keywords"
    template_name = "planner/import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("errors", {})
        context.setdefault("values", {"sector_id": self.request.GET.get("sector_id", "")})
        context.update(
            sectors=sector_choices(self.request),
            crumbs=[{"label": "Keywords", "url": reverse("console-keywords")}],
        )
        return context

    def post(self, request, *args, **kwargs):
        body = {"sector_id": request.POST.get("sector_id", "")}
        files = {"file": request.FILES["file"]} if "file" in request.FILES else None
        if files is None:
            context = self.get_context_data(
                form_error="Please correct the highlighted fields.",
                errors={"file": ["Choose a CSV file."]},
                values=body,
            )
            return self.render_to_response(context, status=400)
        answer = keywords_import.call(request, "POST", body=body, files=files)
        if not answer.ok:
            summary = "Please correct the highlighted fields." if answer.errors else answer.message
            context = self.get_context_data(form_error=summary, errors=answer.errors, values=body)
            return self.render_to_response(context, status=400)
        context = self.get_context_data(result=answer.data, message=answer.message, values=body)
        return self.render_to_response(context)

    def render_to_response(self, context, status=200, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response.status_code = status
        return response


class ClusterListPage(FollowsJobMixin, ListPage):
    title = "Clusters"
    template_name = "planner/clusters.html"
    endpoint = clusters
    columns = [
        Column("name", "Cluster", sort="name", cell="planner/cells/cluster_keywords.html"),
        Column("sector_name", "Sector"),
        Column("keywords_count", "Keywords", sort="keywords_count", classes="text-end"),
        Column("volume", "Volume", sort="volume", classes="text-end"),
        Column("status", "Status", cell="pages/cells/status.html"),
    ]
    filters = [
        Filter("sector_id", "Sector", sector_choices),
        Filter("status", "Status", Cluster.Status.choices),
    ]
    bulk_actions = [
        BulkAction(
            "auto_generate_ideas",
            "Generate ideas",
            clusters_ideas,
            style="primary",
            starts_job=True,
        ),
        _delete(clusters_delete, "clusters (their keywords stay)"),
    ]
    search_placeholder = "Search clusters"
    empty_heading = "No clusters yet"
    empty_text = "Select keywords on the Keywords page and choose Cluster to group them."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ideas_url"] = reverse("console-ideas")
        return context


class IdeaListPage(ListPage):
    title = "Ideas"
    endpoint = ideas
    columns = [
        Column("idea_title", "Idea", sort="idea_title", classes="fw-medium"),
        Column("cluster_name", "Cluster"),
        Column("content_type", "Type", cell="pages/cells/status.html"),
        Column("estimated_word_count", "Words", sort="estimated_word_count", classes="text-end"),
        Column("status", "Status", sort="status", cell="pages/cells/status.html"),
    ]
    filters = [
        Filter("sector_id", "Sector", sector_choices),
        Filter("status", "Status", ContentIdea.Status.choices),
        Filter("content_type", "Type", ContentIdea.ContentType.choices),
    ]
    bulk_actions = [
        BulkAction("bulk_queue_to_writer", "Queue to writer", ideas_queue, style="primary"),
        _delete(ideas_delete, "ideas"),
    ]
    search_placeholder = "Search ideas"
    empty_heading = "No ideas yet"
    empty_text = "Select clusters on the Clusters page and choose Generate ideas."
