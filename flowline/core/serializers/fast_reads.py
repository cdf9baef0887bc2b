"""The lean read path of tenant viewsets' serializers.

DRF renders a model row by building every field of the serializer (per request: about
0.8 ms for a 15-field ModelSerializer), then asking each field for its attribute
(`get_attribute` walks `source_attrs`) and its `to_representation`. For the fields
that are a plain model column of a stock DRF type, both steps are context-free and
can be decided once per serializer class: read the attribute, convert it. That plan is
built from a prototype instance of the class, so it follows the class's own field
list, order, sources and read/write flags; every other field (nested serializers,
custom fields, files with a value, anything whose output may depend on the request) is
still rendered by the serializer's own bound field, exactly as before.

Tenant viewsets use it for every response (TenantViewSetMixin.get_serializer); the
OpenAPI schema is generated from the original classes. A class is left alone when it
(or a base below ModelSerializer) customises how it builds or renders its fields.
"""

import copy
import datetime as _dt
import operator
import threading
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from rest_framework import fields as _f
from rest_framework import relations as _r
from rest_framework.fields import SkipField
from rest_framework.settings import api_settings

from flowline.core.serializers import TenantScopedRelationsMixin, scope_relation

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
