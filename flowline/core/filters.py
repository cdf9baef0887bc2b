"""django-filter's DRF backend without its per-request class building.

For a view with `filterset_fields`, DjangoFilterBackend defines a new FilterSet class on
every request (a metaclass walking the model's fields), then binds and validates a form
even when the request names none of its parameters. This backend builds that class once
per view class and model (unless a filter's choices are rows of a tenant-owned model:
those are read through the scoped manager when the class is built, so such a class
belongs to one account and is built per request, as before), and skips the form when no
query parameter can belong to an auto-generated filterset: such a filterset has no
required filter and no default, so with none of its parameters it filters nothing and
cannot fail. A view's own
`filterset_class` is always run, since it may filter or validate on its own.
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend

from flowline.core.tenancy import is_tenant_model


def _freeze(value):
    if isinstance(value, dict):
        return tuple(sorted((key, _freeze(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(item) for item in value)
    return value


class FilterBackend(DjangoFilterBackend):
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
