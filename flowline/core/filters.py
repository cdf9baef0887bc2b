"""Filtering: the FilterSet base every filterset derives from, and django-filter's DRF
backend without its per-request class building.

`FilterSet` parses numbers on integer columns (ids, foreign keys, counts) as bounded whole
numbers and filters foreign keys on their column (see its docstrings).

For a view with `filterset_fields`, DjangoFilterBackend defines a new FilterSet class on
every request (a metaclass walking the model's fields), then binds and validates a form
even when the request names none of its parameters. This backend builds that class once
per view class and model (unless a filter's choices are rows of a tenant-owned model, as
a many-to-many filter's are: those are read through the scoped manager when the class is
built, so such a class belongs to one account and is built per request), and skips the form when no
query parameter can belong to an auto-generated filterset: such a filterset has no
required filter and no default, so with none of its parameters it filters nothing and
cannot fail. A view's own
`filterset_class` is always run, since it may filter or validate on its own.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db import models
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field

from flowline.core.ids import column_range, integer_field
from flowline.core.tenancy import is_tenant_model


class IntegerFilter(django_filters.NumberFilter):
    """A whole number the column can hold. django-filter's NumberFilter parses a decimal,
    so `?site_id=-1.8e74` or `?cluster_id=1.5` would reach the query; this refuses them
    with a 400."""

    field_class = forms.IntegerField

    def get_max_validator(self):
        return None


class FilterSet(django_filters.FilterSet):
    """The base of every FilterSet: a number filter on an integer column (an id, a foreign
    key, a count) parses a whole number the column holds, whether the filter was declared
    or generated."""

    @classmethod
    def filter_for_field(cls, field, field_name, lookup_expr=None):
        # A generated foreign-key filter is django-filter's ModelChoiceFilter, whose
        # choices are a queryset built when the class is (outside any account, so scoped
        # managers refuse it) and whose pk parsing is loose; filter on the key's column
        # instead: the view's queryset is already scoped, so a foreign id matches nothing.
        is_key = field.many_to_one or field.one_to_one
        if is_key and lookup_expr in (None, "exact") and integer_field(field.model, field.name):
            return django_filters.NumberFilter(field_name=field_name, lookup_expr="exact")
        return super().filter_for_field(field, field_name, lookup_expr)

    @classmethod
    def get_filters(cls):
        # drf-spectacular imports DRF's views, which import this module's backend.
        from drf_spectacular.drainage import set_override

        filters = super().get_filters()
        model = cls._meta.model
        for name, declared in list(filters.items()):
            if model is None or not isinstance(declared, django_filters.NumberFilter):
                continue
            if isinstance(declared, IntegerFilter) or declared.lookup_expr in ("in", "range"):
                continue
            column = _column(model, declared.field_name)
            if not isinstance(column, models.IntegerField):
                continue
            low, high = column_range(column)
            bounded = IntegerFilter(
                field_name=declared.field_name,
                lookup_expr=declared.lookup_expr,
                label=declared._label,
                method=declared._method,
                distinct=declared.distinct,
                exclude=declared.exclude,
                **{"min_value": low, "max_value": high, **declared.extra},
            )
            schema = {"type": "integer", "minimum": low, "maximum": high}
            set_override(bounded, "field", schema)
            filters[name] = bounded
        return filters


def _column(model, path: str):
    """The model field a filter's `field_name` ends on (a key's target column)."""
    *hops, last = path.split("__")
    if hops:
        related = get_model_field(model, "__".join(hops))
        if related is None or not related.is_relation:
            return None
        model = related.related_model
    field = get_model_field(model, last)
    if field is None:
        field = next((f for f in model._meta.concrete_fields if f.attname == last), None)
    while field is not None and field.is_relation and field.target_field is not field:
        field = field.target_field
    return field


def _freeze(value):
    if isinstance(value, dict):
        return tuple(sorted((key, _freeze(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(item) for item in value)
    return value


class FilterBackend(DjangoFilterBackend):
    filterset_base = FilterSet
    _auto_classes: dict = {}

    def get_filterset_class(self, view, queryset=None):
        filterset_fields = getattr(view, "filterset_fields", None)
        if getattr(view, "filterset_class", None) or not filterset_fields or queryset is None:
            return super().get_filterset_class(view, queryset)
        key = (type(view), queryset.model, _freeze(filterset_fields))
        filterset_class = self._auto_classes.get(key)
        if filterset_class is None:
            filterset_class = super().get_filterset_class(view, queryset)
            filterset_class._flowline_auto = True
            if not _has_tenant_choices(filterset_class):
                self._auto_classes[key] = filterset_class
        return filterset_class

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        if getattr(filterset_class, "_flowline_auto", False):
            names = tuple(filterset_class.base_filters)
            if not any(param.startswith(names) for param in request.query_params):
                return queryset.all()
        return super().filter_queryset(request, queryset, view)


def _has_tenant_choices(filterset_class) -> bool:
    for declared in filterset_class.base_filters.values():
        choices = getattr(declared, "queryset", None)
        if is_tenant_model(getattr(choices, "model", None)):
            return True
    return False
