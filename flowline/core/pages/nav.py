"""The console's menu: apps declare their entries; the shell shows those a role may use."""

from __future__ import annotations

from dataclasses import dataclass, field

from flowline.core.roles import Role, at_least

# Sections in menu order.
SECTIONS = ("Overview", "SEO", "Social", "Commerce", "Insights", "Agents", "Account")


@dataclass(frozen=True)
class NavItem:
    section: str
    label: str
    url_name: str
    icon: str  # a Bootstrap Icons name, e.g. "key"
    order: int = 100
    role: str = Role.VIEWER
    # URL names (or prefixes ending in "*") that highlight this entry.
    matches: tuple[str, ...] = field(default_factory=tuple)

    def is_active(self, url_name: str | None) -> bool:
        if not url_name:
            return False
        for pattern in (self.url_name, *self.matches):
            if pattern.endswith("*") and url_name.startswith(pattern[:-1]):
                return True
            if url_name == pattern:
                return True
        return False


_items: dict[str, NavItem] = {}


def register(*items: NavItem) -> None:
    """Add entries (by URL name, so registering twice is harmless)."""
    for item in items:
        if item.section not in SECTIONS:
            raise ValueError(f"Unknown console section {item.section!r}")
        _items[item.url_name] = item


def menu(role: str, url_name: str | None) -> list[dict]:
    """The sections and entries a role may see, in order, with the active one marked."""
    sections = []
    for section in SECTIONS:
        entries = sorted(
            (i for i in _items.values() if i.section == section and at_least(role, i.role)),
            key=lambda i: (i.order, i.label),
        )
        if entries:
            sections.append(
                {
                    "name": section,
                    "items": [{"item": i, "active": i.is_active(url_name)} for i in entries],
                }
            )
    return sections
