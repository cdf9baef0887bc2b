"""Turns contract tables into URL patterns over Flowline's own views.

Each row's target path is resolved in Flowline's `/api/v1/` URLconf; the view found there
is subclassed once per seed path with `ContractViewMixin` (which runs the row's adapters)
and mounted at the seed's path. The view's code, serializers, permissions, throttles and
tenancy are Flowline's: only the path and the shapes differ.

A path answers as the seed writes it; the same path with or without its trailing slash is
mounted too (left out of the schema), so Django never answers a seed path with an
APPEND_SLASH redirect, which a browser would follow as a GET.
"""

from __future__ import annotations

import functools
import re
from collections import OrderedDict

from django.urls import Resolver404, get_resolver, path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from flowline.contracts.declare import Contract, Route, schema_path
from flowline.core.envelope import error_body, first_message

FLOWLINE_BASE = "/api/v1/"
# (schema path, METHOD) -> (contract, route): what the schema hooks need to know.
REGISTRY: dict[tuple[str, str], tuple[Contract, Route]] = {}
VARIANT_ATTR = "contract_slash_variant"


class ContractViewMixin:
    # Runs a contract row's adapters around the Flowline view it aliases. (No docstring:
    # the schema takes an operation's description from the first docstring in the MRO,
    # which must be the aliased view's.)

    contract_routes: dict[str, Route] = {}
    contract_errors = None  # the contract's error adapter (`Contract.errors`)

    def _contract_route(self, request) -> Route | None:
        method = "GET" if request.method == "HEAD" else request.method
        return self.contract_routes.get(method)

    def dispatch(self, request, *args, **kwargs):
        # Answers made outside the view (django-axes' lockout, after it) read the
        # contract's error shape from the request.
        request.contract_errors = self.contract_errors
        self._contract_moved = {}
        route = self._contract_route(request)
        for adapter in route.adapters if route else ():
            adapter.path(kwargs, self._contract_moved)
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        route = self._contract_route(request)
        for adapter in route.adapters if route else ():
            adapter.request(request, self._contract_moved)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            self.contract_errors is not None
            and isinstance(response, Response)
            and response.status_code >= 400
        ):
            body = response.data
            if not getattr(response, "is_enveloped", False):  # as the renderer would wrap it
                body = error_body(
                    message=first_message(body) or "Request failed.",
                    code="error",
                    errors=body if isinstance(body, dict) else {},
                    request=request,
                )
            response.data = self.contract_errors.error(body)
            response.is_enveloped = True  # the renderer must not wrap it again
            return response
        route = self._contract_route(request)
        if (
            route is None
            or not route.adapters
            or not isinstance(response, Response)
            or not 200 <= response.status_code < 300
            or response.status_code == 204
        ):
            return response
        if getattr(response, "is_enveloped", False):
            body = response.data
        else:
            body = {"success": True, "data": response.data, "message": None}
        for adapter in route.adapters:
            body = adapter.response(body, response)
            if not isinstance(body, (dict, list)) and hasattr(body, "status_code"):
                return body  # the adapter answers with its own response (a redirect)
        response.data = body
        response.is_enveloped = True  # the renderer must not wrap it again
        return response


def _target_view(target: str):
    """The view callable serving `target` in Flowline's API, with its URL kwargs."""
    if not target.startswith(FLOWLINE_BASE):
        raise ValueError(f"A contract target must be under {FLOWLINE_BASE}: {target}")
    sample = re.sub(r"<(?:\w+:)?\w+>", "1", target[len(FLOWLINE_BASE) - 1 :])
    try:
        match = get_resolver("config.api_router").resolve(sample)
    except Resolver404 as exc:
        raise ValueError(f"No Flowline view at {target}") from exc
    return match.func


def _operation_id(contract: Contract, seed_path: str, method: str) -> str:
    # `cloud-files` and `cloud/files` are both Elinara paths: a hyphen joins, a slash splits.
    words = re.sub(r"<(?:\w+:)?(\w+)>", r"by_\1", seed_path).replace("-", "")
    return re.sub(r"\W+", "_", f"{contract.name} {words} {method}").strip("_").lower()


def _renamed(handler, operation_ids: dict[str, str]):
    """A copy of a view's handler whose operations are named after the seed path: the
    aliased view keeps its own operation ids, which must stay unique in the schema."""

    @functools.wraps(handler)
    def renamed(self, *args, **kwargs):
        return handler(self, *args, **kwargs)

    renamed.kwargs = dict(getattr(handler, "kwargs", None) or {})  # not the original's dict
    for method, operation_id in operation_ids.items():
        renamed = extend_schema(operation_id=operation_id, methods=[method])(renamed)
    return renamed


def _mount(contract: Contract, seed_path: str, routes: list[Route]):
    targets = {r.target for r in routes}
    if len(targets) != 1:
        raise ValueError(f"{contract.name} {seed_path}: one target per path, got {targets}")
    target = targets.pop()
    func = _target_view(target)
    cls, initkwargs = func.cls, dict(getattr(func, "initkwargs", {}))
    methods = {r.method for r in routes}
    # Where the seed's path is Flowline's own (IGNY8 is /api/v1/), every method stays;
    # elsewhere the alias answers only what the seed documents.
    own_path = "/" + contract.prefix + seed_path == target
    attrs = {
        "contract_routes": {r.method: r for r in routes},
        "contract_errors": contract.errors,
        "__module__": __name__,
        "__doc__": cls.__doc__,
    }
    for r in routes:
        for adapter in r.adapters:
            attrs.update(adapter.view_attrs)
    actions = getattr(func, "actions", None)
    if not own_path:
        handlers: dict[str, dict[str, str]] = {}
        for method in methods:
            name = actions.get(method.lower()) if actions else method.lower()
            if name and hasattr(cls, name):
                handlers.setdefault(name, {})[method] = _operation_id(contract, seed_path, method)
        for name, operation_ids in handlers.items():
            attrs[name] = _renamed(getattr(cls, name), operation_ids)
    view_cls = type(f"{contract.name}{cls.__name__}", (ContractViewMixin, cls), attrs)
    if actions:
        if not own_path:
            actions = {m: a for m, a in actions.items() if m.upper() in methods}
        missing = methods - {m.upper() for m in actions}
        if missing:
            raise ValueError(f"{contract.name} {seed_path}: {target} has no {missing}")
        return lambda: view_cls.as_view(dict(actions), **initkwargs)
    if not own_path:
        allowed = {m.lower() for m in methods} | {"options"}
        if "get" in allowed:
            allowed.add("head")
        view_cls.http_method_names = [m for m in cls.http_method_names if m in allowed]
    return lambda: view_cls.as_view(**initkwargs)


def urlpatterns_for(contract: Contract) -> list:
    """The URL patterns of one contract: each path as written, then its slash twin."""
    by_path: OrderedDict[str, list[Route]] = OrderedDict()
    for r in contract.routes:
        by_path.setdefault(r.path, []).append(r)
    patterns, twins = [], []
    # Literal paths before paths with parameters: `products/categories/` is not product
    # "categories" (a router orders them the same way).
    ordered = sorted(by_path.items(), key=lambda item: bool(item[1][0].kwargs))
    for seed_path, routes in ordered:
        make_view = _mount(contract, seed_path, routes)
        patterns.append(path(contract.prefix + seed_path, make_view()))
        twin = seed_path[:-1] if seed_path.endswith("/") else seed_path + "/"
        if twin and twin not in by_path:
            variant = make_view()
            setattr(variant, VARIANT_ATTR, True)
            twins.append(path(contract.prefix + twin, variant))
        for r in routes:
            REGISTRY[(schema_path(contract.prefix, seed_path), r.method)] = (contract, r)
    return patterns + twins
