"""The dashboard is made of cards that apps contribute (credits, jobs, getting started...)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flowline.core.roles import Role, at_least


@dataclass(frozen=True)
class Card:
    name: str
    template: str
    provide: Callable[[object], dict]  # provide(request) -> template context, or {} to hide
    order: int = 100
    width: str = "col-lg-6"  # a Bootstrap column class
    role: str = Role.VIEWER


_cards: dict[str, Card] = {}


def register(card: Card) -> None:
    _cards[card.name] = card


def cards_for(request, role: str) -> list[dict]:
    """The cards this member may see, with their context, in order; empty ones are left out."""
    shown = []
    for card in sorted(_cards.values(), key=lambda c: (c.order, c.name)):
        if not at_least(role, card.role):
            continue
        context = card.provide(request)
        if context is not None:
            shown.append({"card": card, "context": context})
    return shown
