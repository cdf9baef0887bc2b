"""factory_boy bases for tenant-owned models, and the registry the isolation suite reads.

Every app's `tests/factories.py` defines a `TenantFactory` per tenant-owned model it
exposes. The generic isolation test finds them here; an endpoint whose model has no
factory fails that test, so new apps cannot skip it.
"""

from __future__ import annotations

import importlib

import factory
from django.apps import apps

_by_basename: dict[str, type[TenantFactory]] = {}


class TenantFactory(factory.django.DjangoModelFactory):
    """Builds a row of a tenant-owned model: `SiteFactory(account=account)`."""

    class Meta:
        abstract = True

    @classmethod
    def _get_manager(cls, model_class):
        return model_class.unscoped


def for_endpoint(basename: str):
    """Use this factory for one router basename (when a model backs several endpoints)."""

    def register(cls):
        _by_basename[basename] = cls
        return cls

    return register


def _load_all() -> None:
    """Import the factories of every installed Flowline app."""
    for config in apps.get_app_configs():
        if not config.name.startswith("flowline."):
            continue
        try:
            importlib.import_module(f"{config.name}.tests.factories")
        except ModuleNotFoundError as exc:
            if not exc.name.startswith(f"{config.name}.tests"):
                raise


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def factory_for(basename: str, model) -> type[TenantFactory] | None:
    _load_all()
    if basename in _by_basename:
        return _by_basename[basename]
    candidates = [
        sub
        for sub in _subclasses(TenantFactory)
        if sub._meta.model is model and sub not in _by_basename.values()
    ]
    return candidates[0] if candidates else None
