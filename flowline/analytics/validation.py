"""A light validator for tracked events: plain checks on dicts, a few microseconds each.

A batch of a thousand events must validate in a few milliseconds, which a serializer per
event (field objects, error lists, deep copies) does not. `check_event` returns the
cleaned values or the reasons, per field, that the event was refused.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from flowline.analytics.models import Platform

EVENT_TYPE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
PLATFORMS = frozenset(Platform.values)
# What a client may send for an event, in storage order (ingest, the API and this
# validator all read it from here).
TRACKED_FIELDS = (
    "event_id",
    "event_type",
    "platform",
    "site",
    "session_id",
    "customer_id",
    "value",
    "currency",
    "properties",
    "occurred_at",
)
FIELDS = frozenset(TRACKED_FIELDS)
MAX_VALUE = Decimal("999999999999.99")
MAX_PROPERTIES = 50
# Clocks drift; an event from further ahead than this is a client bug, not a sale.
MAX_FUTURE = timedelta(hours=24)
MAX_AGE = timedelta(days=3 * 366)
TWO_PLACES = Decimal("0.01")


class Invalid(Exception):
    """One field of one event is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def check_event(raw: Any, *, now: datetime, site_ids: frozenset[int]) -> dict:
    """The event's clean fields; raises `Invalid` with the first problem found.

    `site_ids` are the sites the caller may file events under.
    """
    if not isinstance(raw, dict):
        raise Invalid("non_field_errors", "Each event must be an object.")
    unknown = raw.keys() - FIELDS
    if unknown:
        raise Invalid(sorted(unknown)[0], "Unknown field.")
    event_type = raw.get("event_type")
    if not isinstance(event_type, str) or not EVENT_TYPE.match(event_type):
        raise Invalid(
            "event_type", "Required: lowercase letters, digits and _ (at most 50 characters)."
        )
    platform = raw.get("platform", Platform.WEB)
    if not isinstance(platform, str) or platform not in PLATFORMS:
        raise Invalid("platform", f"Must be one of {', '.join(sorted(PLATFORMS))}.")
    return {
        "event_id": _event_id(raw.get("event_id")),
        "event_type": event_type,
        "platform": platform,
        "site_id": _site(raw.get("site"), site_ids),
        "session_id": _short_text(raw, "session_id"),
        "customer_id": _short_text(raw, "customer_id"),
        "value": _value(raw.get("value")),
        "currency": _currency(raw.get("currency")),
        "properties": _properties(raw.get("properties")),
        "occurred_at": _occurred_at(raw.get("occurred_at"), now),
    }


def _event_id(value: Any) -> uuid.UUID | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid("event_id", "Must be a UUID.")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Invalid("event_id", "Must be a UUID.") from None


def _site(value: Any, site_ids: frozenset[int]) -> int | None:
    if value is None:
        return None
    if type(value) is not int or value not in site_ids:
        raise Invalid("site", "No such site in this account.")
    return value


def _short_text(raw: dict, field: str) -> str:
    value = raw.get(field, "")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > 64:
        raise Invalid(field, "Must be a string of at most 64 characters.")
    return value


def _value(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise Invalid("value", "Must be a number.")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise Invalid("value", "Must be a number.") from None
    if not amount.is_finite() or abs(amount) > MAX_VALUE:
        raise Invalid("value", "Out of range.")
    if amount.as_tuple().exponent < -2:
        raise Invalid("value", "At most 2 decimal places.")
    return amount.quantize(TWO_PLACES)


def _currency(value: Any) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or not CURRENCY.match(value):
        raise Invalid("currency", "Must be a 3-letter ISO 4217 code in capitals.")
    return value


def _properties(value: Any) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Invalid("properties", "Must be an object.")
    if len(value) > MAX_PROPERTIES:
        raise Invalid("properties", f"At most {MAX_PROPERTIES} keys.")
    return value


def _occurred_at(value: Any, now: datetime) -> datetime:
    if value is None:
        return now
    if not isinstance(value, str):
        raise Invalid("occurred_at", "Must be an ISO 8601 date-time.")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid("occurred_at", "Must be an ISO 8601 date-time.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment > now + MAX_FUTURE:
        raise Invalid("occurred_at", "Is more than 24 hours in the future.")
    if moment < now - MAX_AGE:
        raise Invalid("occurred_at", "Is more than 3 years in the past.")
    return moment
