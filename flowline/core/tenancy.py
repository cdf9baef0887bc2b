"""Fail-closed multi-tenancy.

The active account lives in a ContextVar that authentication sets for the length of a
request (or `tenant_scope()` sets for a task or a test). Tenant-owned models use
`TenantManager` as their default manager: it filters by the active account and raises
`TenancyError` when there is none, so forgetting to scope is a crash, not a data leak.
`Model.unscoped` is the explicit, greppable bypass.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models.lookups import Lookup
from django.db.models.sql import Query


class TenancyError(RuntimeError):
    """A tenant-owned model was queried with no active account."""


@dataclass(frozen=True, slots=True)
class TenantContext:
    """Who is acting, in which account, with which role and which sites."""

    account_id: int
    user_id: int | None = None
    role: str = "owner"
    # None means every site of the account; a frozenset restricts to those site ids.
    site_ids: frozenset[int] | None = None
    api_key_id: int | None = None
    # The account's own throttle rates by scope (its plan's), as (scope, rate) pairs.
    rates: tuple[tuple[str, str], ...] = ()


_current: ContextVar[TenantContext | None] = ContextVar("flowline_tenant", default=None)
_bypass: ContextVar[bool] = ContextVar("flowline_tenancy_bypass", default=False)


def current() -> TenantContext | None:
    """The active tenant context, or None outside of one."""
    return _current.get()


def require() -> TenantContext:
    """The active tenant context; raises `TenancyError` when there is none."""
    ctx = _current.get()
    if ctx is None:
        raise TenancyError("No active account: enter tenant_scope() or use Model.unscoped.")
    return ctx


def activate(ctx: TenantContext | None) -> Token:
    """Set the active tenant; returns the token `deactivate()` takes."""
    return _current.set(ctx)


def deactivate(token: Token) -> None:
    _current.reset(token)


@contextmanager
def tenant_scope(account_id: int, **kwargs) -> Iterator[TenantContext]:
    """Run a block as one account (Celery tasks, management commands, tests)."""
    ctx = TenantContext(account_id=account_id, **kwargs)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@contextmanager
def dangerously_bypass_tenancy() -> Iterator[None]:
    """Let scoped managers return every account's rows (Django admin, staff tooling)."""
    token = _bypass.set(True)
    try:
        yield
    finally:
        _bypass.reset(token)


def is_bypassed() -> bool:
    """True inside `dangerously_bypass_tenancy()`."""
    return _bypass.get()


# Who the users of an account are is identity's business: it registers the query at
# start-up (identity.apps), so core can scope user relations without importing it.
_member_users = None


def register_member_users(query) -> None:
    """`query(account_id)` answers a queryset of the account's active members' users."""
    global _member_users
    _member_users = query


def member_users(account_id: int):
    """The users who are active members of `account_id` (none before identity registers)."""
    from django.contrib.auth import get_user_model

    if _member_users is None:
        return get_user_model()._default_manager.none()
    return _member_users(account_id)


def _refuse(*args, **kwargs):
    raise TenancyError(
        "A tenant-owned queryset was built with no active account and cannot run: "
        "enter tenant_scope() or use Model.unscoped."
    )


class UnscopedQuerySet(models.QuerySet):
    """What a scoped manager gives outside any account: it can describe a query (filter
    classes and schema tools introspect one at import time) but every way of running it
    raises, so a query without an account never reaches the database."""

    _fetch_all = _refuse
    iterator = _refuse
    count = _refuse
    exists = _refuse
    aggregate = _refuse
    update = _refuse
    delete = _refuse
    contains = _refuse
    explain = _refuse
    in_bulk = _refuse


# The scoped query of a model is built once per shape (model, database, with or without
# a site restriction) for a placeholder account, and cloned per use with the request's
# account (and sites) put into its WHERE as new lookups: building it with `.filter()`
# resolved the lookups afresh every time (about a tenth of a detail request). Only the
# lookups that carry the placeholders are replaced; the template itself is never changed.
_ACCOUNT_PLACEHOLDER = -(2**62) + 7
_SITES_PLACEHOLDER = frozenset({-(2**62) + 11})
_templates: dict = {}
_templates_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class _ScopedTemplate:
    query: Query
    account_at: int  # index in query.where.children of `account_id = <placeholder>`
    sites_at: int | None  # and of `<site lookup> IN <placeholder>`, when restricted


def _placeholder_at(where, value) -> int | None:
    """The index of the one top-level lookup whose right-hand side is `value`."""
    found = [
        index
        for index, child in enumerate(where.children)
        if isinstance(child, Lookup) and child.rhs == value
    ]
    return found[0] if len(found) == 1 else None


class TenantManager(models.Manager):
    """Default manager of tenant-owned models: scoped to the active account, fail-closed."""

    _hints: dict  # set by BaseManager.__init__; the stubs do not declare it
    _queryset_class: type[models.QuerySet]  # set by BaseManager.from_queryset; likewise

    def get_queryset(self) -> models.QuerySet:
        if _bypass.get():
            return super().get_queryset()
        ctx = _current.get()
        if ctx is None:
            return UnscopedQuerySet(model=self.model, using=self._db, hints=self._hints)
        site_lookup = getattr(self.model, "tenant_site_lookup", None)
        restricted = bool(site_lookup) and ctx.site_ids is not None
        template = self._scoped_template(site_lookup, restricted)
        if template is None:
            return self._scoped(super().get_queryset(), site_lookup, ctx.account_id, ctx.site_ids)
        query = template.query.clone()
        children: list[Any] = query.where.children
        account = children[template.account_at]
        children[template.account_at] = type(account)(account.lhs, ctx.account_id)
        if template.sites_at is not None:
            sites = children[template.sites_at]
            children[template.sites_at] = type(sites)(sites.lhs, ctx.site_ids)
        return self._queryset_class(
            model=self.model, query=query, using=self._db, hints=self._hints
        )

    @staticmethod
    def _scoped(queryset, site_lookup, account_id, site_ids):
        queryset = queryset.filter(account_id=account_id)
        if site_lookup and site_ids is not None:
            queryset = queryset.filter(**{f"{site_lookup}__in": site_ids})
        return queryset

    def _scoped_template(self, site_lookup, restricted: bool) -> _ScopedTemplate | None:
        key = (self.model, self._db, self._queryset_class, restricted)
        try:
            return _templates[key]
        except KeyError:
            pass
        with _templates_lock:
            if key not in _templates:
                queryset = self._scoped(
                    super().get_queryset(),
                    site_lookup,
                    _ACCOUNT_PLACEHOLDER,
                    _SITES_PLACEHOLDER if restricted else None,
                )
                where = queryset.query.where
                account_at = _placeholder_at(where, _ACCOUNT_PLACEHOLDER)
                sites_at = _placeholder_at(where, _SITES_PLACEHOLDER) if restricted else None
                # A shape this does not recognise is built with .filter() every time.
                _templates[key] = None
                if account_at is not None and (sites_at is not None or not restricted):
                    _templates[key] = _ScopedTemplate(queryset.query, account_at, sites_at)
            return _templates[key]


class TenantModel(models.Model):
    """Base of every account-owned model.

    `objects` is scoped (fail-closed); `unscoped` sees every account and must be named
    on purpose. Set `tenant_site_lookup` on models that belong to a site so that
    members restricted to some sites only see those.
    """

    account = models.ForeignKey(
        "identity.Account", on_delete=models.CASCADE, related_name="+", editable=False
    )
    tenant_site_lookup: str | None = None

    objects = TenantManager()
    unscoped = models.Manager()  # noqa: DJ012 (objects must stay first: it is the default)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.account_id is None:
            self.account_id = require().account_id
        super().save(*args, **kwargs)


def is_tenant_model(model: object) -> bool:
    return isinstance(model, type) and issubclass(model, TenantModel)
