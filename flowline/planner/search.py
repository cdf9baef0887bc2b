"""Keyword search by substring through an index, whatever the list's size.

Every whitespace-separated term of `search` must occur in the keyword (DRF's rule,
kept), compared on `normalized` (lower case, single spaces). On PostgreSQL a `pg_trgm`
GIN index on `normalized` serves `LIKE '%term%'`; on SQLite an FTS5 table with the
trigram tokenizer (`planner_keyword_fts`, kept in sync by triggers, migration 0003)
answers a phrase query per term, which is the same substring test. Terms shorter than
three characters have no trigram: they are tested with LIKE on the rows the other terms
left (alone, they read the account's keywords).
"""

from __future__ import annotations

from django.db import connections
from django.db.models.expressions import RawSQL
from rest_framework.filters import SearchFilter

from flowline.planner.models import normalize_keyword

FTS_TABLE = "planner_keyword_fts"


def keywords_matching(queryset, terms: list[str]):
    terms = [normalize_keyword(term) for term in terms if normalize_keyword(term)]
    if connections[queryset.db].vendor == "sqlite":
        indexed = [term for term in terms if len(term) >= 3]
        if indexed:
            return _sqlite_matching(queryset, indexed, [t for t in terms if len(t) < 3])
    for term in terms:
        queryset = queryset.filter(normalized__contains=term)
    return queryset


def _sqlite_matching(queryset, indexed: list[str], short: list[str]):
    """The FTS5 match as the scoped list's subquery, the page selected around it.

    With the account's `(account, -created_at, -id)` index able to give the list's order,
    SQLite's planner walks that index and tests every row against the match (a scan of
    the account's keywords) rather than looking the few matches up and sorting them. The
    tenant-scoped, filtered query is kept whole as the subquery of ids (where SQLite
    drives from the match); the outer query only selects those rows, joins and orders."""
    phrases = " ".join('"' + term.replace('"', '""') + '"' for term in indexed)
    inner = queryset.filter(
        id__in=RawSQL(  # noqa: S611 (a constant table name; the match is a parameter)
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            [phrases],
        )
    )
    for term in short:
        inner = inner.filter(normalized__contains=term)
    outer = queryset.model.unscoped.filter(pk__in=inner.order_by().values("pk"))
    outer.query.select_related = queryset.query.select_related
    return outer.order_by(*queryset.query.order_by) if queryset.query.order_by else outer


class KeywordSearchFilter(SearchFilter):
    """DRF's `search` parameter (same name, schema and splitting into terms), answered
    through the search index instead of `UPPER(keyword) LIKE` scans."""

    def filter_queryset(self, request, queryset, view):
        terms = self.get_search_terms(request)
        if not terms:
            return queryset
        return keywords_matching(queryset, terms)
