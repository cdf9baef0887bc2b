"""List pages: a table over an API list endpoint, with its search, filters, ordering,
pagination and bulk actions (NetBox's object list, driven by the API's own list)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe

from flowline.core.pages.api import Answer, Endpoint
from flowline.core.pages.views import Page
from flowline.core.roles import Role
from flowline.core.templatetags.pages import status_badge


@dataclass(frozen=True)
class Column:
    key: str  # a key of the API's row, dotted for nested ("industry.name")
    label: str
    sort: str | None = None  # the `ordering` field the API accepts
    cell: str | None = None  # a template rendering the cell, given `row` and `value`
    link: bool = False  # the cell links to the row's page
    classes: str = ""


# Cell templates with a Python twin that writes the same markup: a table draws one cell
# per row and column, and an include costs far more than a function call (a 100-row
# keyword page spent most of its time in 300 includes). `test_python_cells` renders each
# twin against its template.
CellRenderer = Callable[[dict, object], str]
_python_cells: dict[str, CellRenderer] = {}


def register_cell(template: str, render: CellRenderer) -> None:
    """Draw `template`'s cells with `render(row, value)` (escaped HTML) instead."""
    _python_cells[template] = render


def python_cells() -> dict[str, CellRenderer]:
    return dict(_python_cells)


register_cell("pages/cells/status.html", lambda row, value: status_badge(value))


@dataclass(frozen=True)
class Filter:
    name: str  # the query parameter the API filters on
    label: str
    options: Callable[[object], list[tuple[str, str]]] | list[tuple[str, str]] = field(
        default_factory=list
    )

    def choices(self, request) -> list[tuple[str, str]]:
        return self.options(request) if callable(self.options) else list(self.options)


@dataclass(frozen=True)
class BulkAction:
    name: str
    label: str
    endpoint: Endpoint | None = None  # called with POST {"ids": [...], **extra}
    role: str = Role.EDITOR
    confirm: str = ""
    style: str = "outline-danger"
    extra: dict = field(default_factory=dict)
    # The endpoint starts a job (answers `task_id`): the page reopens following it.
    starts_job: bool = False
    ids_key: str = "ids"  # the body's name for the selected ids (`content_ids`, ...)
    # Instead of calling an endpoint, open this page with `?ids=...` (to confirm a cost).
    url_name: str | None = None


class ListPage(Page):
    """Subclasses declare `endpoint`, `columns` and what else they offer."""

    template_name = "pages/list.html"
    table_template = "pages/components/table.html"
    endpoint: Endpoint
    columns: list[Column] = []
    filters: list[Filter] = []
    bulk_actions: list[BulkAction] = []
    search = True
    search_placeholder = "Search"
    row_url_name: str | None = None  # a URL name taking the row's `id`
    create_url_name: str | None = None
    create_label = "Add"
    create_role = Role.EDITOR
    empty_heading = "Nothing here yet"
    empty_text = ""
    page_sizes = (10, 25, 50, 100)

    def get(self, request, *args, **kwargs):
        answer = self.endpoint.call(request, query=request.GET)
        return self.render_list(answer)

    def post(self, request, *args, **kwargs):
        name = request.POST.get("action", "")
        action = next((a for a in self.bulk_actions if a.name == name), None)
        if action is None:
            return self.error_page(400, "Unknown action.")
        ids = [i for i in request.POST.getlist("ids") if i]
        if not ids:
            messages.warning(request, "Select at least one row first.")
        elif action.url_name:
            return self.open_with_ids(action.url_name, ids)
        else:
            body = {action.ids_key: ids, **action.extra}
            done = action.endpoint.call(request, "POST", body=body)
            if done.ok and action.starts_job:
                messages.success(request, done.message or f"{action.label}: started.")
                return self.follow_job(str(done.data["task_id"]))
            level = messages.SUCCESS if done.ok else messages.ERROR
            # 402: not enough credits; the message links to buying some (shell.billing_url).
            tags = "no-credits" if done.status == 402 else ""
            messages.add_message(
                request, level, done.message or _counted(done, action), extra_tags=tags
            )
        return self.render_list(self.endpoint.call(request, query=request.GET))

    def open_with_ids(self, url_name: str, ids: list[str]) -> HttpResponse:
        return self._go(f"{reverse(url_name)}?{urlencode({'ids': ids}, doseq=True)}")

    def _go(self, url: str) -> HttpResponse:
        if self.request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)

    def follow_job(self, job_id: str) -> HttpResponse:
        """This list again with `?job=<id>`, where the page shows the job's progress (a
        full page load, so the live connection joins the job's room)."""
        params = self.request.GET.copy()
        params.pop("page", None)
        params["job"] = job_id
        return self._go(f"{self.request.path}?{params.urlencode()}")

    def render_list(self, answer: Answer) -> HttpResponse:
        table_only = self._table_only()
        context = self.get_context_data(
            answer=answer, table_only=table_only, **self.table_context(answer)
        )
        template = self.table_template if table_only else self.template_name
        return self.response_class(
            request=self.request, template=[template], context=context, status=200
        )

    def _cell(self, column: Column, row: dict) -> tuple:
        value = _value(row, column.key)
        return column, value, _plain_html(column, row, value, self.row_url_name)

    def _table_only(self) -> bool:
        return bool(self.request.htmx) and self.request.htmx.target == "list-table"

    def table_context(self, answer: Answer) -> dict:
        query = self.request.GET
        size = _int(query.get("page_size"), 10)
        number = _int(query.get("page"), 1)
        count = answer.body.get("count") or 0
        rows = answer.body.get("results") or []
        first = (number - 1) * size + 1 if rows else 0
        return {
            "table_template": self.table_template,
            "rows": rows,
            # Each row with its cells' values and, for plain and link cells, their HTML,
            # made here rather than by template tags per cell (the table's rendering is
            # most of a page's time); cells with a `cell` template are rendered by it.
            "table_rows": [
                _table_row(row, [self._cell(c, row) for c in self.columns]) for row in rows
            ],
            "columns": self.columns,
            "count": count,
            "first": first,
            "last": first + len(rows) - 1 if rows else 0,
            "page_number": number,
            "page_size": size,
            "has_next": bool(answer.body.get("next")),
            "has_previous": bool(answer.body.get("previous")),
            "ordering": query.get("ordering", ""),
            "filters": [
                {"filter": f, "choices": f.choices(self.request), "value": query.get(f.name, "")}
                for f in self.filters
            ],
            "search": self.search,
            "search_value": query.get("search", ""),
            "search_placeholder": self.search_placeholder,
            "bulk_actions": [a for a in self.bulk_actions if self.can(a.role)],
            "row_url_name": self.row_url_name,
            "create_url_name": self.create_url_name if self.can(self.create_role) else None,
            "create_label": self.create_label,
            "empty_heading": self.empty_heading,
            "empty_text": self.empty_text,
            "filtered": any(query.get(f.name) for f in self.filters) or bool(query.get("search")),
            "page_sizes": self.page_sizes,
            "list_error": None if answer.ok else answer.message,
        }


def _table_row(row: dict, cells: list[tuple]) -> tuple:
    """(row, cells, the cells' <td>s as one string when none needs its template): the
    template writes the whole row with one variable instead of three per cell. Joined
    as plain strings: each cell's HTML is escaped already, and `format_html` per cell
    was a fifth of a 100-row page."""
    if any(html is None for _, _, html in cells):
        return row, cells, None
    tds = "".join([f'<td class="{_classes(c.classes)}">{h}</td>' for c, _, h in cells])
    return row, cells, mark_safe(tds)  # noqa: S308 (escaped cells, escaped classes)


@lru_cache(maxsize=256)
def _classes(classes: str) -> str:
    return escape(classes)


def _plain_html(column: Column, row: dict, value, row_url_name: str | None) -> str | None:
    """A cell without its own template, as the table would write it: the value (or a
    dash), linked to the row's page for `link` columns; a template cell with a Python
    twin, by the twin. None for the other template cells (included by the table)."""
    if column.cell:
        render = _python_cells.get(column.cell)
        return None if render is None else render(row, value)
    if column.link and row_url_name:
        url = reverse(row_url_name, kwargs={"pk": row["id"]})
        return format_html(
            '<a href="{}" class="fw-medium">{}</a>', url, localize(value) if value else "—"
        )
    return "—" if value is None else conditional_escape(localize(value))


def _value(row: dict, key: str):
    """A (dotted) key of an API row: "industry.name"."""
    value: object = row
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            return None
    return value


def _int(value, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def _counted(answer: Answer, action: BulkAction) -> str:
    data = answer.data if isinstance(answer.data, dict) else answer.body
    for key in ("deleted_count", "updated_count"):
        if isinstance(data, dict) and key in data:
            return f"{action.label}: {data[key]} row(s)."
    return f"{action.label}: done." if answer.ok else answer.message
