"""Serializer building blocks: strict input, id lists, tenant-scoped relations."""

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


def scope_relation(field) -> None:
    """Make a writable relation field (or its `many=True` child) look rows up through
    `tenant_scoped`."""
    if isinstance(field, relations.ManyRelatedField):
        field = field.child_relation
    if (
        not isinstance(field, relations.RelatedField)
        or field.read_only
        or getattr(field, "dangerously_unscoped", False)
        or getattr(field, "_tenant_scoped", False)
    ):
        return
    declared = field.get_queryset

    def get_queryset():
        return tenant_scoped(declared())

    field.get_queryset = get_queryset  # per instance: DRF copies fields per serializer
    field._tenant_scoped = True


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


# --- Lean read path ----------------------------------------------------------------
#
# DRF renders a model row by building every field of the serializer (per request: about
# 0.8 ms for a 15-field ModelSerializer), then asking each field for its attribute
# (`get_attribute` walks `source_attrs`) and its `to_representation`. For the fields
# that are a plain model column of a stock DRF type, both steps are context-free and
# can be decided once per serializer class: read the attribute, convert it. That plan is
# built from a prototype instance of the class, so it follows the class's own field
# list, order, sources and read/write flags; every other field (nested serializers,
# custom fields, files with a value, anything whose output may depend on the request) is
# still rendered by the serializer's own bound field, exactly as before.
#
# Tenant viewsets use it for every response (TenantViewSetMixin.get_serializer); the
# OpenAPI schema is generated from the original classes. A class is left alone when it
# (or a base below ModelSerializer) customises how it builds or renders its fields.

import copy  # noqa: E402
import datetime as _dt  # noqa: E402
import operator  # noqa: E402
import threading  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework import fields as _f  # noqa: E402
from rest_framework import relations as _r  # noqa: E402
from rest_framework.fields import SkipField  # noqa: E402
from rest_framework.settings import api_settings  # noqa: E402

_CUSTOMISED = (
    "to_representation",
    "get_fields",
    "fields",
    "_readable_fields",
    "__init__",
    "get_field_names",
    "build_field",
    "get_extra_kwargs",
    "many_init",
)
_AS_STR = {
    _f.CharField,
    _f.EmailField,
    _f.SlugField,
    _f.URLField,
    _f.RegexField,
    _f.IPAddressField,
}
_PURE = {
    _f.ChoiceField,
    _f.DecimalField,
    _f.UUIDField,
    _f.DateField,
    _f.TimeField,
    _f.DurationField,
    _f.BigIntegerField,
}
_PLAIN, _DATETIME, _METHOD, _FILE, _FIELD = range(5)
_UNSET = object()


def _identity(value):
    return value


def _as_bool(proto):
    slow = proto.to_representation
    return lambda value: value if value is True or value is False else slow(value)


def _converter(proto):
    """A context-free `to_representation` for a stock field, or None."""
    kind = type(proto)
    if kind in _AS_STR:
        return str
    if kind is _f.IntegerField:
        return int
    if kind is _f.FloatField:
        return float
    if kind is _f.BooleanField:
        return _as_bool(proto)
    if kind is _f.ReadOnlyField:
        return _identity
    if kind is _f.JSONField and not proto.binary:
        return _identity
    if kind in _PURE:
        return proto.to_representation
    return None


def _getter(proto, model_fields):
    """How to read a field's attribute: a plain attribute read for a model column."""
    attrs = proto.source_attrs
    if len(attrs) == 1 and attrs[0] in model_fields:
        return operator.attrgetter(attrs[0])
    return proto.get_attribute


class _Plan:
    __slots__ = ("entries", "model")

    def __init__(self, model, entries):
        self.model = model
        self.entries = entries


def _build_plan(cls):
    from rest_framework.serializers import ModelSerializer

    for klass in cls.__mro__:
        if klass is ModelSerializer:
            break
        if klass in _SCOPING_BASES:
            continue  # scopes write lookups only; fields and rendering are DRF's
        if any(name in klass.__dict__ for name in _CUSTOMISED):
            return None
    else:
        return None
    meta = getattr(cls, "Meta", None)
    model = getattr(meta, "model", None)
    if model is None:
        return None
    try:
        proto = cls()
        readable = list(proto._readable_fields)
    except Exception:  # a class that cannot be built without context: leave it alone
        return None
    columns = {f.name: f for f in model._meta.concrete_fields}
    plain = {name for name, f in columns.items() if not f.is_relation}
    entries = []
    for field in readable:
        name = field.field_name
        kind = type(field)
        entry = (name, _FIELD, None, None)
        if kind is _f.SerializerMethodField:
            entry = (name, _METHOD, field.method_name, None)
        elif kind is _r.PrimaryKeyRelatedField:
            attrs = field.source_attrs
            column = columns.get(attrs[0]) if len(attrs) == 1 else None
            if field.pk_field is None and column is not None and column.many_to_one:
                entry = (name, _PLAIN, operator.attrgetter(column.attname), _identity)
        elif kind is _f.DateTimeField:
            iso = getattr(field, "format", api_settings.DATETIME_FORMAT)
            if not hasattr(field, "timezone") and iso and iso.lower() == _f.ISO_8601:
                entry = (name, _DATETIME, _getter(field, plain), field.to_representation)
        elif kind in (_f.FileField, _f.ImageField):
            entry = (name, _FILE, _getter(field, plain), None)
        else:
            convert = _converter(field)
            if convert is not None:
                entry = (name, _PLAIN, _getter(field, plain), convert)
        entries.append(entry)
    return _Plan(model, tuple(entries))


_plans: dict = {}


def _plan_for(cls):
    try:
        return _plans[cls]
    except KeyError:
        plan = _plans[cls] = _build_plan(cls)
        return plan


_UTC_ZONES = frozenset({_dt.UTC, ZoneInfo("UTC")})


def _datetime(value, tz, slow):
    """DRF's DateTimeField output (ISO 8601, in the current timezone, `Z` for UTC)."""
    if value.__class__ is _dt.datetime and value.tzinfo in _UTC_ZONES and tz in _UTC_ZONES:
        return value.replace(tzinfo=None).isoformat() + "Z"
    if value.__class__ is _dt.datetime and tz is not None and value.utcoffset() is not None:
        try:
            text = value.astimezone(tz).isoformat()
        except OverflowError:
            return slow(value)
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return slow(value)


class FastReadMixin:
    """Renders model rows through the class's precomputed plan (see above)."""

    def _lean_field(self, name):
        """`self.fields[name]` without building every other field: DRF's `fields` runs
        ModelSerializer.get_fields (the model introspected, a field built per column;
        about a tenth of a list request) to then use one or two of them here. A declared
        field is what get_fields would give (a deep copy of the declaration, scoped like
        TenantScopedRelationsMixin does, bound to this serializer); any other name, or a
        serializer whose fields were built already, reads `self.fields`."""
        if "fields" in self.__dict__:
            return self.fields[name]
        lean = self.__dict__.setdefault("_lean_fields", {})
        field = lean.get(name)
        if field is None:
            declared = self._declared_fields.get(name)
            if declared is None:
                return self.fields[name]
            field = copy.deepcopy(declared)
            if isinstance(self, TenantScopedRelationsMixin):
                scope_relation(field)
            field.bind(field_name=name, parent=self)
            lean[name] = field
        return field

    def to_representation(self, instance):
        plan = _plan_for(self._fast_base)
        if plan is None or not isinstance(instance, plan.model):
            return super().to_representation(instance)
        ret = {}
        # The active timezone, read once per serializer (a list's rows share the child
        # serializer): asgiref's Local made it a tenth of the rendering when read per row.
        tz = self.__dict__.get("_lean_tz", _UNSET)
        for name, kind, get, convert in plan.entries:
            if kind is _PLAIN:
                try:
                    value = get(instance)
                except SkipField:
                    continue
                ret[name] = None if value is None else convert(value)
            elif kind is _DATETIME:
                try:
                    value = get(instance)
                except SkipField:
                    continue
                if not value:
                    ret[name] = None
                    continue
                if tz is _UNSET:
                    tz = timezone.get_current_timezone() if settings.USE_TZ else None
                    self.__dict__["_lean_tz"] = tz
                ret[name] = _datetime(value, tz, convert)
            elif kind is _METHOD:
                ret[name] = getattr(self, get)(instance)
            elif kind is _FILE:
                try:
                    value = get(instance)
                except SkipField:
                    continue
                ret[name] = self._lean_field(name).to_representation(value) if value else None
            else:
                field = self._lean_field(name)
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
                check = attribute.pk if isinstance(attribute, _r.PKOnlyObject) else attribute
                ret[name] = None if check is None else field.to_representation(attribute)
        return ret


_SCOPING_BASES = (TenantScopedRelationsMixin,)
_fast_classes: dict = {}
_fast_lock = threading.Lock()
# Off: every serializer renders through DRF's own path (the equivalence test compares).
FAST_READS = True


def fast_read_class(cls):
    """`cls` with the lean read path, or `cls` itself when it does not qualify.

    The subclass has the same name, module and qualname, so messages and reprs read as
    before; the OpenAPI schema is still generated from `cls`.
    """
    if not FAST_READS:
        return cls
    try:
        return _fast_classes[cls]
    except KeyError:
        pass
    with _fast_lock:
        fast = _fast_classes.get(cls)
        if fast is None:
            fast = cls
            if isinstance(cls, type) and _plan_for(cls) is not None:
                fast = type(
                    cls.__name__,
                    (FastReadMixin, cls),
                    {
                        "__module__": cls.__module__,
                        "__qualname__": cls.__qualname__,
                        "__doc__": cls.__doc__,
                        "_fast_base": cls,
                    },
                )
            _fast_classes[cls] = fast
        return fast
