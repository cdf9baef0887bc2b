"""Serializer building blocks: strict input, id lists, tenant-scoped relations. The lean
read path tenant viewsets render with is `fast_reads`."""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from rest_framework import relations, serializers

from flowline.core import tenancy
from flowline.core.ids import MAX_ID

# --- Tenant-scoped relations ---------------------------------------------------------
#
# Every relation field of every serializer looks rows up within the active account, by
# default: the base classes below wrap each writable relation field's queryset when the
# serializer builds its fields, so a field declared with `Model.unscoped`, a queryset
# built at import time, or a user relation cannot name another tenant's row. A row of
# another account answers exactly what an unknown id answers (DRF's "does_not_exist"),
# so a write can neither link to it nor tell that it exists. Users are scoped to the
# account's active members. A field that must look across accounts (staff tooling) says
# so with `dangerously_unscoped = True`.


def _plain(queryset):
    """`queryset` as a plain QuerySet: one built with no account (at import time) is an
    UnscopedQuerySet that refuses to run; its filters are kept, the account is added."""
    if isinstance(queryset, tenancy.UnscopedQuerySet):
        return models.QuerySet(
            model=queryset.model, query=queryset.query.chain(), using=queryset._db
        )
    return queryset


def tenant_scoped(queryset):
    """`queryset` narrowed to what the active tenant may link to (fail-closed: nothing
    outside an account, unless tenancy is bypassed on purpose)."""
    model = queryset.model
    user_model = get_user_model()
    if not (tenancy.is_tenant_model(model) or model is user_model):
        return queryset  # global reference data (plans, industries): not owned by anyone
    if tenancy.is_bypassed():
        return _plain(queryset)
    ctx = tenancy.current()
    if ctx is None:
        return models.QuerySet(model=model).none()
    if model is user_model:
        members = tenancy.member_users(ctx.account_id).values("pk")
        return queryset.filter(pk__in=members)
    queryset = _plain(queryset).filter(account_id=ctx.account_id)
    site_lookup = getattr(model, "tenant_site_lookup", None)
    if site_lookup and ctx.site_ids is not None:
        queryset = queryset.filter(**{f"{site_lookup}__in": ctx.site_ids})
    return queryset


class _ScopedQueryset:
    """A relation field's own `get_queryset`, narrowed by `tenant_scoped` on each call."""

    def __init__(self, declared: Callable[[], Any]) -> None:
        self.declared = declared

    def __call__(self) -> Any:
        return tenant_scoped(self.declared())


def scope_relation(field) -> None:
    """Make a writable relation field (or its `many=True` child) look rows up through
    `tenant_scoped`."""
    if isinstance(field, relations.ManyRelatedField):
        field = field.child_relation
    if (
        not isinstance(field, relations.RelatedField)
        or field.read_only
        or getattr(field, "dangerously_unscoped", False)
        or isinstance(field.get_queryset, _ScopedQueryset)
    ):
        return
    # Replaced on the instance, on purpose: DRF copies fields per serializer, and the
    # field's class (any RelatedField, the project's or a library's) stays as declared.
    field.get_queryset = _ScopedQueryset(field.get_queryset)  # type: ignore[method-assign]


class TenantScopedRelationsMixin:
    """Scopes every writable relation field to the active account (see above)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            scope_relation(field)
        return fields


class Serializer(TenantScopedRelationsMixin, serializers.Serializer):
    """Base of every Flowline serializer: relation fields are scoped to the account."""


class ModelSerializer(TenantScopedRelationsMixin, serializers.ModelSerializer):
    """Base of every Flowline model serializer: relation fields, declared or built from
    the model, are scoped to the account."""


class StrictInputSerializer(Serializer):
    """Input serializer that refuses fields it does not declare (typos fail loudly), and
    numbers or booleans where it expects text (DRF's CharField would take `0` as "0")."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Unknown field."] for name in unknown}, code="unknown_field"
                )
            not_text = sorted(
                name
                for name, field in self.fields.items()
                if isinstance(field, serializers.CharField)
                and not field.read_only
                and data.get(name) is not None
                and not isinstance(data.get(name), str)
            )
            if not_text:
                raise serializers.ValidationError(
                    {name: ["Not a valid string."] for name in not_text}, code="invalid"
                )
        return super().to_internal_value(data)


class JSONField(serializers.JSONField):
    """DRF's JSONField, except that a form or multipart value `null` (parsed from the text
    "null") is refused like a JSON null when the field does not allow null: DRF let it
    through to NOT NULL columns (`settings=null` answered 500)."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value is None and not self.allow_null:
            self.fail("null")
        return value


class IdField(serializers.IntegerField):
    """A row id in a request body: a whole number from 1 to the largest id a column holds
    (a larger one would fail in the database, not in validation).

    `refers_to="app_label.Model"` names the row's model (a label, so an app need not
    import another's models): the id must then be a row the active account may link to
    (`tenant_scoped`), and another account's row answers as an unknown id does.
    """

    default_error_messages = {
        "does_not_exist": relations.PrimaryKeyRelatedField.default_error_messages["does_not_exist"],
    }

    def __init__(self, *, refers_to: str | None = None, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        self.refers_to = refers_to
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, float) and not data.is_integer():
            self.fail("invalid")
        value = super().to_internal_value(data)
        if self.refers_to:
            model = apps.get_model(self.refers_to)
            if not tenant_scoped(model._base_manager.all()).filter(pk=value).exists():
                self.fail("does_not_exist", pk_value=value)
        return value


class IdListField(serializers.ListField):
    """A list of ids (`IdField`), at least one and at most `max_length` (1000)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", IdField())
        kwargs.setdefault("min_length", 1)
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)


class IdsInputSerializer(StrictInputSerializer):
    """`{"ids": [...]}`, the body of every bulk action."""

    ids = IdListField()


class BulkResultSerializer(serializers.Serializer):
    """What a bulk action answers: how many rows it touched."""

    deleted_count = serializers.IntegerField(required=False)
    updated_count = serializers.IntegerField(required=False)
