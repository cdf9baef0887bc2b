"""Base viewsets. Every tenant-owned endpoint inherits `TenantModelViewSet`.

Subclasses declare `model`, serializers and filters. They may not override
`get_queryset`; they narrow the scoped queryset in `safely_get_queryset` instead, so no
endpoint can forget the account scope (PostHog's routing mixin does the same).
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.settings import api_settings

from flowline.core import tenancy
from flowline.core.envelope import ok
from flowline.core.errors import NotFoundError
from flowline.core.ids import lookup_fits
from flowline.core.permissions import HasAccountRole
from flowline.core.roles import Role
from flowline.core.serializers import BulkResultSerializer, IdsInputSerializer
from flowline.core.serializers.fast_reads import fast_read_class

_SEALED = ("get_queryset",)
# Accept headers for which DRF's negotiation, with one JSON renderer, answers that
# renderer and its own media type (a missing header counts as */*).
_PLAIN_ACCEPTS = frozenset({"*/*", "application/json"})


class StrictLookupMixin(GenericAPIView):
    """A path id the lookup column cannot hold (beyond 64 bits, a float, `-1`) names no
    row: 404 before any query, on every database."""

    def get_object(self):
        kwarg = self.lookup_url_kwarg or self.lookup_field
        raw = self.kwargs.get(kwarg)
        model = self.model if getattr(self, "model", None) is not None else None
        if model is None and getattr(self, "queryset", None) is not None:
            model = self.queryset.model
        if raw is not None and model is not None and not lookup_fits(model, self.lookup_field, raw):
            raise NotFound()
        return super().get_object()


class DestroyModelMixin(mixins.DestroyModelMixin):
    """DELETE answers `{"success": true, "data": null, "message": "Deleted."}`. Only views
    that can delete include it, so the router and the schema offer DELETE only there."""

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        self.perform_destroy(instance)
        return ok(None, message="Deleted.")


class TenantViewSetMixin(StrictLookupMixin):
    """Scopes querysets to the active account and checks the member's role."""

    model = None
    permission_classes = [IsAuthenticated, HasAccountRole]
    read_role = Role.VIEWER
    write_role = Role.EDITOR
    action_roles: dict[str, str] = {}
    # API keys need "<api_scope>:read|write"; defaults to the model's app label.
    api_scope: str | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in _SEALED:
            if name in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__} overrides {name}(); narrow the scoped queryset in "
                    "safely_get_queryset() instead."
                )
        if cls.api_scope is None and cls.model is not None:
            cls.api_scope = cls.model._meta.app_label

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.unscoped.none()
        return self.safely_get_queryset(self.model.objects.all())

    def safely_get_queryset(self, queryset):
        """Narrow or annotate the already scoped queryset (select_related, filters)."""
        return queryset

    def perform_content_negotiation(self, request, force=False):
        """DRF's answer without parsing `Accept` when it cannot be another: one JSON
        renderer, no format asked for, and `*/*`, `application/json` or no header (what
        every client of the API sends). Anything else negotiates as DRF does (406, 404
        for an unknown format)."""
        renderers = self.get_renderers()
        if (
            len(renderers) == 1
            and renderers[0].media_type == "application/json"
            and self.format_kwarg is None
            and request.META.get("HTTP_ACCEPT", "*/*") in _PLAIN_ACCEPTS
            and api_settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderers[0], renderers[0].media_type
        return super().perform_content_negotiation(request, force)

    def get_serializer(self, *args, **kwargs):
        """The view's serializer with core's lean read path for model rows
        (`core.serializers.fast_reads`); the schema sees the class as declared."""
        serializer_class = self.get_serializer_class()
        if not getattr(self, "swagger_fake_view", False):
            serializer_class = fast_read_class(serializer_class)
        kwargs.setdefault("context", self.get_serializer_context())
        return serializer_class(*args, **kwargs)

    def perform_create(self, serializer):
        serializer.save(account_id=tenancy.require().account_id)

    def resolve_ids(self, ids: list[int], *, lock: bool = False):
        """The scoped rows for `ids`; 404 naming the missing ones when any is not visible."""
        queryset = self.get_queryset().filter(pk__in=ids)
        if lock:
            queryset = queryset.select_for_update()
        found = list(queryset)
        missing = sorted(set(ids) - {obj.pk for obj in found})
        if missing:
            raise NotFoundError("Some ids do not exist in this account.", errors={"ids": missing})
        return found


class TenantModelViewSet(TenantViewSetMixin, DestroyModelMixin, viewsets.ModelViewSet):
    """CRUD over one tenant-owned model."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]


class TenantReadOnlyViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve over one tenant-owned model."""


class DeletesRows(Protocol):
    """What `BulkDeleteMixin` needs of the viewset it is mixed into (a
    `TenantModelViewSet`): each row goes through the view's own `perform_destroy`."""

    def perform_destroy(self, instance: Any) -> None: ...


class BulkDeleteMixin:
    """`POST bulk_delete/` with `{"ids": [...]}`: all or nothing, foreign ids are 404."""

    @extend_schema(request=IdsInputSerializer, responses=BulkResultSerializer)
    @action(detail=False, methods=["post"], serializer_class=IdsInputSerializer)
    def bulk_delete(self, request):
        payload = IdsInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with transaction.atomic():
            rows = self.resolve_ids(payload.validated_data["ids"], lock=True)
            count = self.perform_bulk_destroy(rows)
        return ok({"deleted_count": count}, message=f"Deleted {count} items.")

    def perform_bulk_destroy(self: DeletesRows, rows: list) -> int:
        """Delete the (already resolved and locked) rows; returns how many went. Override
        when one service call deletes them together (and keeps totals right)."""
        for row in rows:
            self.perform_destroy(row)
        return len(rows)


def created(data, message: str | None = None):
    return ok(data, message=message, status=status.HTTP_201_CREATED)


__all__ = [
    "BulkDeleteMixin",
    "DestroyModelMixin",
    "StrictLookupMixin",
    "TenantModelViewSet",
    "TenantReadOnlyViewSet",
    "TenantViewSetMixin",
    "created",
]
