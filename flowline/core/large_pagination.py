"""Pagination for lists that reach millions of rows, in the same envelope and with the same
`page` / `page_size` contract as `EnvelopePagination`.

What changes at that size, and why:

- **The count** no longer scans the list. Up to `LIST_EXACT_COUNT_LIMIT` rows (setting,
  default 10,000) it is exact: counted with a `LIMIT limit + 1` subquery, so at most that
  many index entries are read. Beyond it, `count` is an estimate and the answer says so
  with `"count_is_estimate": true`: PostgreSQL's planner estimate of the filtered query
  (`EXPLAIN`, no rows read); other databases count once and keep the figure in the cache
  for `LIST_COUNT_CACHE_SECONDS` (default 60), keyed by the query's SQL and parameters
  (the tenant is one of them). A page that ends the list, or one shorter than the page
  size, makes the count exact with no count query at all.
- **Deep pages** without large OFFSETs: `?cursor=` (empty for the first page) switches
  to keyset pagination on the list's ordering plus the primary key, `next` and
  `previous` carry the cursor. Every page costs the same whatever its depth; the
  ordering's fields must be plain non-null columns (a cursor for another ordering, or a
  damaged one, is a 400). `page` still works as before (a page past the end is a 404).
- **`page=last`** (as Django's paginator takes it): the numbered last page while the
  count is exact; beyond the limit, the last `page_size` rows read backwards along the
  ordering (as cheap as the first page) with a `previous` cursor, or, for an ordering a
  cursor cannot follow, the numbered last page after one exact count.

`LargeListPagination` always says `count_is_estimate` (the planner's answer);
`GrowingListPagination` says it only when the count is an estimate, so a list that fits
under the limit answers exactly as `EnvelopePagination` does (the seeds' list shapes).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections
from django.db.models import Q
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

from flowline.core.envelope import EnvelopedResponse
from flowline.core.pagination import EnvelopePagination

MAX_OFFSET = 2**62


def _limit() -> int:
    return getattr(settings, "LIST_EXACT_COUNT_LIMIT", 10_000)


def list_count(queryset, *, limit: int | None = None) -> tuple[int, bool]:
    """(count, is_estimate) of a list without scanning past `limit` rows."""
    limit = _limit() if limit is None else limit
    unordered = queryset.order_by()
    bounded = unordered[: limit + 1].count()
    if bounded <= limit:
        return bounded, False
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        plan = json.loads(unordered.explain(format="json"))
        return max(limit + 1, int(plan[0]["Plan"]["Plan Rows"])), True
    sql, params = unordered.values("pk").query.sql_with_params()
    key = "list-count:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()
    count = cache.get(key)
    if count is None:
        count = unordered.count()
        cache.set(key, count, getattr(settings, "LIST_COUNT_CACHE_SECONDS", 60))
    return count, True


class LargeListPagination(EnvelopePagination):
    cursor_query_param = "cursor"
    # False: `count_is_estimate` appears only when true (see GrowingListPagination).
    always_say_if_estimated = True

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size_now = self.get_page_size(request)
        if self.cursor_query_param in request.query_params:
            return self._cursor_page(queryset, request)
        self.cursor_mode = False
        raw = request.query_params.get(self.page_query_param, "1")
        if raw in self.last_page_strings:
            return self._last_page(queryset)
        try:
            number = int(raw)
        except ValueError:
            raise NotFound("Invalid page.") from None
        return self._numbered_page(queryset, number)

    def _numbered_page(self, queryset, number: int):
        size = self.page_size_now
        offset = (number - 1) * size
        # No table has that many rows, and databases refuse an OFFSET beyond 64 bits.
        if number < 1 or offset > MAX_OFFSET:
            raise NotFound("Invalid page.")
        rows = list(queryset.order_by(*self._total_ordering(queryset))[offset : offset + size + 1])
        self.has_next = len(rows) > size
        rows = rows[:size]
        if not rows and number > 1:
            raise NotFound("Invalid page.")
        if self.has_next:
            self.count, self.count_is_estimate = list_count(queryset)
            self.count = max(self.count, offset + size + 1)
        else:  # this page ends the list: the count is known without asking
            self.count, self.count_is_estimate = offset + len(rows), False
        self.number = number
        return rows

    def _last_page(self, queryset):
        """`page=last`: the numbered last page while the count is exact (what Django's
        paginator answers); beyond the exact-count limit, the list's last `page_size` rows,
        read backwards along the ordering's index (no full count, no deep OFFSET), with a
        `previous` cursor to page back from there."""
        count, estimated = list_count(queryset)
        keyset = estimated and self._can_keyset(queryset)
        if estimated and not keyset:  # no cursor to page back with: count, once
            count, estimated = queryset.order_by().count(), False
        size = self.page_size_now
        if not estimated:
            return self._numbered_page(queryset, max(1, -(-count // size)))
        self.cursor_mode = True
        ordering = self._ordering(queryset)
        rows = list(queryset.order_by(*ordering).reverse()[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        rows.reverse()
        self.next_cursor = None
        self.previous_cursor = self._encode(rows[0], ordering, True) if rows and more else None
        self.count, self.count_is_estimate = count, estimated
        return rows

    # -- keyset --------------------------------------------------------------------------

    def _can_keyset(self, queryset) -> bool:
        try:
            self._ordering(queryset)
        except ValidationError:
            return False
        return True

    @staticmethod
    def _total_ordering(queryset) -> list:
        """The list's ordering with the primary key last: rows that tie keep one order, so
        no page repeats or skips a row."""
        ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
        pk = queryset.model._meta.pk.name
        if not any(isinstance(t, str) and t.lstrip("-") in (pk, "pk") for t in ordering):
            last = ordering[-1] if ordering else ""
            ordering.append(f"-{pk}" if isinstance(last, str) and last.startswith("-") else pk)
        return ordering

    def _ordering(self, queryset) -> list[str]:
        ordering = self._total_ordering(queryset)
        for term in ordering:
            name = str(term).lstrip("-")
            try:
                field = queryset.model._meta.get_field("id" if name == "pk" else name)
            except FieldDoesNotExist:
                field = None
            if not isinstance(term, str) or field is None or field.null or field.is_relation:
                raise ValidationError(
                    {self.cursor_query_param: "This ordering cannot be paged by cursor."}
                )
        return ordering

    def _decode(self, token: str, ordering: list[str], queryset):
        try:
            data = json.loads(base64.urlsafe_b64decode(token.encode() + b"=" * (-len(token) % 4)))
            assert data["o"] == ordering and data["d"] in ("n", "p")
            assert len(data["v"]) == len(ordering)
            meta = queryset.model._meta
            values = [
                meta.get_field(term.lstrip("-")).to_python(value)
                for term, value in zip(ordering, data["v"], strict=True)
            ]
        except (
            ValueError,
            TypeError,
            KeyError,
            AssertionError,
            binascii.Error,
            DjangoValidationError,
        ):
            raise ValidationError({self.cursor_query_param: "Invalid cursor."}) from None
        return values, data["d"] == "p"

    def _encode(self, row, ordering: list[str], backwards: bool) -> str:
        meta = row._meta
        values = [meta.get_field(term.lstrip("-")).value_to_string(row) for term in ordering]
        raw = json.dumps({"o": ordering, "v": values, "d": "p" if backwards else "n"})
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @staticmethod
    def _after(ordering: list[str], values: list, backwards: bool) -> Q:
        """Rows strictly after `values` in `ordering` (before them when backwards): the
        leading column's non-strict bound first, so an index on the ordering is used."""
        conditions = Q()
        equal = Q()
        for term, value in zip(ordering, values, strict=True):
            name = term.lstrip("-")
            descending = term.startswith("-") != backwards
            conditions |= equal & Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
            equal &= Q(**{name: value})
        first = ordering[0]
        lead = "lte" if first.startswith("-") != backwards else "gte"
        return Q(**{f"{first.lstrip('-')}__{lead}": values[0]}) & conditions

    def _cursor_page(self, queryset, request):
        self.cursor_mode = True
        ordering = self._ordering(queryset)
        token = request.query_params.get(self.cursor_query_param, "")
        size = self.page_size_now
        page = queryset.order_by(*ordering)
        backwards = False
        if token:
            values, backwards = self._decode(token, ordering, queryset)
            page = page.filter(self._after(ordering, values, backwards))
            if backwards:
                page = page.reverse()
        rows = list(page[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        has_next = more if not backwards else True
        has_previous = bool(token) and (more if backwards else True)
        self.next_cursor = self._encode(rows[-1], ordering, False) if rows and has_next else None
        self.previous_cursor = (
            self._encode(rows[0], ordering, True) if rows and has_previous else None
        )
        if backwards and not more:  # back at the start: the first page, without a cursor
            self.previous_cursor = None
        self.count, self.count_is_estimate = list_count(queryset)
        return rows

    # -- links and the answer --------------------------------------------------------------

    def _cursor_link(self, token: str | None) -> str | None:
        if token is None:
            return None
        assert self.request is not None  # set by paginate_queryset before links are built
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, token)

    def get_next_link(self):
        if self.cursor_mode:
            return self._cursor_link(self.next_cursor)
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.cursor_mode:
            return self._cursor_link(self.previous_cursor)
        if self.number <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data):
        body = {"success": True, "count": self.count}
        if self.count_is_estimate or self.always_say_if_estimated:
            body["count_is_estimate"] = self.count_is_estimate
        body.update(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )
        return EnvelopedResponse(body)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = (
                    "A page number within the list, or `last` for its last page "
                    "(beyond the exact-count limit, its last `page_size` rows with a "
                    "`previous` cursor)."
                )
                parameter["schema"] = {
                    "oneOf": [
                        parameter["schema"],
                        {"type": "string", "enum": list(self.last_page_strings)},
                    ]
                }
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Keyset pagination: empty for the first page, then the "
                "cursor of `next` / `previous`; pages of any depth cost the same.",
                "schema": {"type": "string"},
            }
        )
        return parameters

    def get_paginated_response_schema(self, schema):
        body = super().get_paginated_response_schema(schema)
        body["properties"]["count_is_estimate"] = {
            "type": "boolean",
            "description": "true when `count` is an estimate (beyond the exact-count limit)"
            + ("" if self.always_say_if_estimated else "; absent when the count is exact"),
        }
        return body


class GrowingListPagination(LargeListPagination):
    """For lists that are small for most accounts and reach 100,000s of rows for some
    (content, products, messages, the ledgers and logs): the large list's bounded count
    and `?cursor=` pages, with the plain envelope while the count is exact."""

    always_say_if_estimated = False
