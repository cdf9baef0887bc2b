"""The event types accounts can subscribe to. Apps register theirs through
`flowline.webhooks.public.register_event_type`; the API lists them."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$|^ping$")


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    description: str


_registry: dict[str, EventType] = {}


def register(name: str, description: str) -> EventType:
    """Add (or describe again) an event type named `<noun>.<past participle>`."""
    if not _NAME.match(name):
        raise ValueError(f"Event type names look like 'job.completed', not {name!r}.")
    _registry[name] = EventType(name=name, description=description)
    return _registry[name]


def event_type_exists(name: str) -> bool:
    return name in _registry


def event_types() -> list[EventType]:
    """Every registered event type, by name."""
    return sorted(_registry.values(), key=lambda event_type: event_type.name)


for _name, _description in {
    "job.completed": "A background job completed.",
    "job.failed": "A background job failed for good.",
    "post.published": "A social post went out on a platform.",
    "post.failed": "A social post could not be published.",
    "credits.low": "The credit balance fell to the account's low-balance threshold.",
    "message.received": "A customer sent a chat message.",
    "ping": "A test event, sent from the API by `endpoints/{id}/test/`.",
}.items():
    register(_name, _description)
