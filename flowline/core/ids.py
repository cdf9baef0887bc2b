"""Integers from clients (path ids, body ids, filter values), parsed strictly and bounded
by what the database column holds.

A value a column cannot hold never reaches a query: SQLite raises OverflowError on an
integer beyond 64 bits and PostgreSQL a DataError, and Django only guards some integer
lookups (not `in`, not foreign keys). Floats (`1.5`, `-1.8e74`) are not integers.
"""

from __future__ import annotations

import re

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models

# Every primary key is a BigAutoField (DEFAULT_AUTO_FIELD): ids are 1 .. 2**63 - 1.
MAX_ID = 2**63 - 1
MIN_INT64 = -(2**63)
MAX_INT64 = 2**63 - 1

_DIGITS = re.compile(r"-?[0-9]+")


def column_range(field: models.Field) -> tuple[int, int]:
    """The (min, max) an integer model field (or the field a foreign key points at) holds."""
    while isinstance(field, models.ForeignKey) and field.target_field is not field:
        field = field.target_field
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    return (MIN_INT64 if low is None else low, MAX_INT64 if high is None else high)


def integer_field(model, name: str) -> models.Field | None:
    """The integer model field behind `name` (a column, a foreign key or its attname)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = next((f for f in model._meta.concrete_fields if f.attname == name), None)
    while field is not None and field.is_relation and field.target_field is not field:
        field = field.target_field
    return field if isinstance(field, models.IntegerField) else None


def parse_int(raw, *, low: int = MIN_INT64, high: int = MAX_INT64) -> int | None:
    """`raw` as an int when it is written as a whole number within [low, high], else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _DIGITS.fullmatch(raw.strip()) and len(raw) <= 25:
        value = int(raw)
    else:
        return None
    return value if low <= value <= high else None


def lookup_fits(model, name: str, raw) -> bool:
    """Whether a path value can name a row by `name`: for an integer column, a whole number
    the column can hold; anything else is left to the field's own parsing."""
    field = integer_field(model, name)
    if field is None:
        return True
    low, high = column_range(field)
    return parse_int(raw, low=low, high=high) is not None
